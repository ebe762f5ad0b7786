"""Render the icon set from ``resources/icons/stackone-explorer.svg``.

The SVG is the only hand-edited icon file; every PNG, the Windows ``.ico`` and the macOS
``.icns`` are generated from it so the sizes can never drift apart. Qt's own SVG renderer draws
the pixels (the same renderer the app uses for its window icon, so what you see here is what the
app shows) and Pillow writes the multi-size containers, which Qt cannot. The generated files are
committed, so building the app or the bundle never needs this script; run it after editing the
SVG:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PIL import Image

REPO_ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = REPO_ROOT / "resources" / "icons"
SOURCE_NAME = "stackone-explorer.svg"

#: Sizes committed as PNG: the freedesktop hicolor sizes plus the common window-icon sizes.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: A Windows .ico holds at most 256 px frames; Explorer picks the closest one per view.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: A macOS .icns needs up to 1024 px (512 px at 2x on Retina screens).
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)


def render(svg_path: Path, size: int) -> Image.Image:
    """Draw the SVG at ``size`` x ``size`` pixels with anti-aliasing on a transparent canvas.

    Rendering each size from the vector source (instead of shrinking one large bitmap) keeps
    the 16 px and 24 px icons crisp.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg_path))
    if not renderer.isValid():
        raise SystemExit(f"{svg_path}: Qt cannot read this SVG; check it in a browser first.")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    # Pillow wants straight (not premultiplied) RGBA bytes in memory order.
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(rgba.constBits())
    return Image.frombuffer("RGBA", (size, size), data, "raw", "RGBA", rgba.bytesPerLine(), 1)


def make_icons(svg_path: Path, out_dir: Path) -> list[Path]:
    """Write every PNG size, the .ico and the .icns next to each other; return the paths."""
    from PySide6.QtGui import QGuiApplication

    # QPainter needs a GUI application object; offscreen needs no display.
    _app = QGuiApplication.instance() or QGuiApplication(["make_icons"])

    stem = svg_path.stem
    out_dir.mkdir(parents=True, exist_ok=True)
    images = {size: render(svg_path, size) for size in sorted({*PNG_SIZES, *ICNS_SIZES})}
    written: list[Path] = []

    for size in PNG_SIZES:
        path = out_dir / f"{stem}-{size}.png"
        images[size].save(path, format="PNG", optimize=True)
        written.append(path)

    ico_path = out_dir / f"{stem}.ico"
    largest_ico = images[max(ICO_SIZES)]
    largest_ico.save(
        ico_path,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    written.append(ico_path)

    icns_path = out_dir / f"{stem}.icns"
    images[max(ICNS_SIZES)].save(
        icns_path,
        format="ICNS",
        append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)],
    )
    written.append(icns_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ICON_DIR / SOURCE_NAME)
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="folder for the generated files")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in make_icons(args.source, args.out):
        print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
