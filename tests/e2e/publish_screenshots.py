"""Copy a few current screenshots of the browser journeys into docs/screenshots/ for the README.

    python -m tests.e2e.publish_screenshots    (after the browser tests ran, with Dutch compiled)

Each picture is cut to a readable height and reduced to a small palette, so it stays well under 150 KB.
"""

from pathlib import Path

from PIL import Image

HERE = Path(__file__).parent
TARGET = HERE.parents[1] / "docs" / "screenshots"
# README name: (journey screenshot, height to keep)
CHOSEN = {
    "home-phone.png": ("parent-phone-home-news.png", 900),
    "moment-phone.png": ("staff-moment-phone-mark-photos.png", 1100),
    "messages-phone.png": ("parent-message-phone-message-read.png", 1000),
    "timeline-desktop.png": ("staff-desktop-tip-outcome-seen.png", 1000),
    "timeline-phone.png": ("parent-phone-tip-worked.png", 1300),
    "event-phone.png": ("parent-event-phone-answered.png", 1000),
    "group-overview-desktop.png": ("staff-desktop-group-overview.png", 800),
    "learning-wishes-desktop.png": ("trainer-desktop-wishes.png", 900),
}
LIMIT = 150 * 1024


def publish():
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, (source, height) in CHOSEN.items():
        image = Image.open(HERE / "screenshots" / source).convert("RGB")
        image = image.crop((0, 0, image.width, min(height, image.height)))
        for colours in (128, 64, 32):
            small = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            small.save(TARGET / name, optimize=True)
            if (TARGET / name).stat().st_size < LIMIT:
                break
        print(f"{name}: {(TARGET / name).stat().st_size // 1024} KB from {source}")


if __name__ == "__main__":
    publish()
