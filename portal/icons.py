"""Draws the Samenspel logo and writes the favicon and app icons into static/images/.

Run `python -m portal.icons` after changing the drawing; the PNG files are committed, so nothing runs this at
build time. The logo: a grown-up and a child side by side under one arc, on the portal's green.
"""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (31, 95, 91)
WHITE = (255, 255, 255)
ORANGE = (240, 160, 75)
OUT = Path(__file__).resolve().parent.parent / "static" / "images"
SCALE = 4  # drawn this much larger, then scaled down, for smooth edges


def draw(size, padding=0.0, rounded=True):
    """The logo on a square of `size` pixels; `padding` (a fraction) keeps the figure inside a maskable
    icon's safe zone; `rounded` gives the square round corners (not for maskable icons, which are cut)."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=GREEN)
    else:
        pen.rectangle((0, 0, big, big), fill=GREEN)

    def box(x, y, w, h):
        inner = big * (1 - 2 * padding)
        offset = big * padding
        return (offset + x * inner, offset + y * inner, offset + (x + w) * inner, offset + (y + h) * inner)

    # One arc over both: the roof they share.
    width = max(2, round(big * (1 - 2 * padding) * 0.07))
    pen.arc(box(0.14, 0.14, 0.72, 0.72), start=200, end=340, fill=WHITE, width=width)
    # The grown-up: head and shoulders.
    pen.ellipse(box(0.25, 0.36, 0.2, 0.2), fill=WHITE)
    pen.pieslice(box(0.17, 0.6, 0.36, 0.4), start=180, end=360, fill=WHITE)
    # The child: smaller, warm.
    pen.ellipse(box(0.58, 0.5, 0.15, 0.15), fill=ORANGE)
    pen.pieslice(box(0.52, 0.69, 0.27, 0.3), start=180, end=360, fill=ORANGE)
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    draw(32).save(OUT / "favicon-32.png", optimize=True)
    draw(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, padding=0.14, rounded=False).convert("RGB").save(OUT / "icon-maskable-512.png", optimize=True)
    draw(64).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])


if __name__ == "__main__":
    main()
