// Photos open in a viewer on the page instead of as a bare image in a new tab.
// A link marked data-photo-viewer opens its href (a view that checks who may see the photo) in a modal
// dialog; the other photo links in the same [data-photo-gallery] are reached with the arrow buttons, the
// arrow keys or a swipe. Escape or the close button closes it and puts the focus back on the link.
// Without JavaScript the link simply opens the photo.
(() => {
  "use strict";
  let dialog = null;
  let links = [];
  let index = 0;
  let opener = null;
  let swipeStartX = null;

  function label(name) {
    return document.documentElement.dataset[name] || "";
  }

  function button(className, icon, text) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `photo-viewer-button ${className}`;
    b.setAttribute("aria-label", text);
    const i = document.createElement("i");
    i.className = `bi ${icon}`;
    i.setAttribute("aria-hidden", "true");
    b.append(i);
    return b;
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "photo-viewer";
    dialog.setAttribute("aria-label", label("photoViewerLabel") || "Photo");
    const figure = document.createElement("figure");
    figure.className = "photo-viewer-figure";
    const img = document.createElement("img");
    img.className = "photo-viewer-image";
    img.alt = "";
    img.draggable = false; // a drag of the image would swallow the swipe
    const caption = document.createElement("figcaption");
    caption.className = "photo-viewer-caption";
    caption.setAttribute("aria-live", "polite");
    figure.append(img, caption);
    const close = button("photo-viewer-close", "bi-x-lg", label("photoViewerClose") || "Close");
    const previous = button("photo-viewer-previous", "bi-chevron-left", label("photoViewerPrevious") || "Previous photo");
    const next = button("photo-viewer-next", "bi-chevron-right", label("photoViewerNext") || "Next photo");
    dialog.append(figure, previous, next, close);
    document.body.append(dialog);

    close.addEventListener("click", () => dialog.close());
    previous.addEventListener("click", () => show(index - 1));
    next.addEventListener("click", () => show(index + 1));
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the dark backdrop
    });
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft") { event.preventDefault(); show(index - 1); }
      else if (event.key === "ArrowRight") { event.preventDefault(); show(index + 1); }
      else if (event.key === "Tab") trapFocus(event);
    });
    dialog.addEventListener("pointerdown", (event) => { swipeStartX = event.clientX; });
    dialog.addEventListener("pointercancel", () => { swipeStartX = null; });
    dialog.addEventListener("pointerup", (event) => {
      if (swipeStartX === null) return;
      const distance = event.clientX - swipeStartX;
      swipeStartX = null;
      if (Math.abs(distance) > 50) show(index + (distance < 0 ? 1 : -1));
    });
    dialog.addEventListener("close", () => {
      img.removeAttribute("src");
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    });
  }

  function trapFocus(event) {
    // showModal() already makes the page behind inert; keep Tab cycling over the dialog's own buttons.
    const focusable = [...dialog.querySelectorAll("button")].filter((b) => !b.hidden);
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  }

  function show(newIndex) {
    if (!links.length) return;
    index = (newIndex + links.length) % links.length;
    const link = links[index];
    const thumbnail = link.querySelector("img");
    const img = dialog.querySelector(".photo-viewer-image");
    img.src = link.href;
    img.alt = (thumbnail && thumbnail.alt) || "";
    const count = links.length > 1 ? `${index + 1} / ${links.length}` : "";
    dialog.querySelector(".photo-viewer-caption").textContent = [img.alt, count].filter(Boolean).join(" · ");
    dialog.querySelectorAll(".photo-viewer-previous, .photo-viewer-next").forEach((b) => { b.hidden = links.length < 2; });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-photo-viewer]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (!dialog) build();
    const gallery = link.closest("[data-photo-gallery]");
    links = gallery ? [...gallery.querySelectorAll("a[data-photo-viewer]")] : [link];
    opener = link;
    show(links.indexOf(link));
    dialog.showModal();
    dialog.querySelector(".photo-viewer-close").focus();
  });
})();
