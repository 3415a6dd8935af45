"""Image benchmark: a 50-megapixel camera JPEG into the media library, timed, with the process's peak memory.

usage: python bench/image_bench.py [--width 8660] [--height 5773] [--runs 3] [--photo PATH]
                                   [--avif-quality 65] [--avif-speed 8]

Each run is a fresh Python process that does what a library upload does: cleans the upload (upright, no
metadata, at most 2400 pixels) and writes every rendition (480, 960, 1600 wide in AVIF, WebP and JPEG, each with
the picture's rights as XMP; the 1200x630 social card and the square crops, around a focal point) to a temporary
storage. It prints the seconds of each step, renditions per second, and peak RSS beside the RSS of the same
process before the work, and the memory the full-size decoded picture would have needed. Then, from the last
run, the bytes of each rendition per format and the seconds each format took to encode all widths (the resized
pictures made once beforehand, so that only encoding is timed), with AVIF's and WebP's bytes as a share of JPEG's.
The photo is made up (grain over a pattern) unless ``--photo`` names a real one; ``--avif-quality`` and
``--avif-speed`` try other AVIF settings than the site's.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time
import django
django.setup()
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from articles.media import renditions
from articles.media.rights import Rights, xmp_packet
from PIL import Image

source, media = sys.argv[1], sys.argv[2]
renditions.AVIF_QUALITY, renditions.AVIF_SPEED = int(sys.argv[3]), int(sys.argv[4])
xmp = xmp_packet(Rights("A. Photographer", "Agency", "(c) 2026 Agency", "https://example.org/licence"))
storage = FileSystemStorage(location=media)


def high_water_kib():
    # VmHWM starts again at exec; ru_maxrss would carry over the parent's peak (it made the 50 MP photo).
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


baseline = high_water_kib()
start = time.perf_counter()
with open(source, "rb") as handle:
    cleaned, picture = renditions.clean_upload(File(handle, name="photo.jpg"))
name = storage.save("library/photo.jpg", cleaned)
cleaned_at = time.perf_counter()
built = renditions.build_renditions(name, picture, storage=storage, focal=(0.3, 0.4), xmp=xmp)
done = time.perf_counter()
peak = high_water_kib()
made = len(renditions.rendition_files(built))
sizes = {ext: {s["width"]: storage.size(s[ext]) for s in built["sources"]} for _, ext in renditions.FORMATS}
resized = [picture.resize((s["width"], s["height"]), Image.Resampling.LANCZOS) for s in built["sources"]]
encode = {}
for fmt, ext in renditions.FORMATS:
    began = time.perf_counter()
    for each in resized:
        renditions._encode(each, fmt, xmp)
    encode[ext] = time.perf_counter() - began
print(json.dumps({"clean": cleaned_at - start, "renditions": done - cleaned_at, "made": made,
                  "baseline_kib": baseline, "peak_kib": peak, "sizes": sizes, "encode": encode}))
"""


def make_photo(path, width, height):
    """A noisy camera-like JPEG (grain keeps the encoder honest; about 12 MiB at 50 megapixels, like a camera's)
    with EXIF orientation and GPS."""
    from PIL import Image, ImageFilter

    tile = Image.effect_noise((500, 500), 30).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    photo = Image.new("RGB", (width, height))
    for x in range(0, width, 500):
        for y in range(0, height, 500):
            photo.paste(tile, (x, y))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}
    photo.save(path, "JPEG", quality=92, exif=exif.tobytes())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=8660)
    parser.add_argument("--height", type=int, default=5773)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--photo", help="a camera JPEG to use instead of the made-up one")
    parser.add_argument("--avif-quality", type=int, default=None)
    parser.add_argument("--avif-speed", type=int, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from articles.media import renditions

    avif = [str(args.avif_quality or renditions.AVIF_QUALITY), str(args.avif_speed or renditions.AVIF_SPEED)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    with tempfile.TemporaryDirectory() as tmp:
        if args.photo:
            source = Path(args.photo)
            from PIL import Image

            with Image.open(source) as photo:
                args.width, args.height = photo.size
        else:
            source = Path(tmp) / "camera.jpg"
            make_photo(source, args.width, args.height)
        size_mib = source.stat().st_size / 1048576
        full_mib = args.width * args.height * 3 / 1048576
        print(f"image benchmark: {args.width}x{args.height} JPEG, {size_mib:.1f} MiB on disk, "
              f"{full_mib:.0f} MiB if fully decoded; AVIF at quality {avif[0]}, speed {avif[1]}")  # fmt: skip
        print(f"{'run':>4} {'clean s':>8} {'rend. s':>8} {'made':>5} {'rend./s':>8} {'base MiB':>9} {'peak MiB':>9} "
              f"{'added MiB':>10}")  # fmt: skip
        for run in range(1, args.runs + 1):
            media = Path(tmp) / f"media-{run}"
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(source), str(media), *avif],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            base, peak = figures["baseline_kib"] / 1024, figures["peak_kib"] / 1024
            rate = figures["made"] / figures["renditions"]
            print(f"{run:>4} {figures['clean']:>8.2f} {figures['renditions']:>8.2f} {figures['made']:>5} {rate:>8.1f} "
                  f"{base:>9.1f} {peak:>9.1f} {peak - base:>10.1f}")  # fmt: skip
        print_formats(figures)


def print_formats(figures):
    """Bytes per rendition and per format, encode seconds per format (all widths), shares of JPEG's bytes."""
    sizes, encode = figures["sizes"], figures["encode"]
    widths = list(sizes["jpg"])
    print(f"\n{'format':>6} " + " ".join(f"{w + ' px':>10}" for w in widths) + f" {'total':>10} {'vs JPEG':>8} "
          f"{'encode s':>9}")  # fmt: skip
    jpeg = sum(sizes["jpg"].values())
    for ext, by_width in sizes.items():
        total = sum(by_width.values())
        print(f"{ext:>6} " + " ".join(f"{by_width[w]:>10,}" for w in widths) + f" {total:>10,} "
              f"{100 * total / jpeg:>7.0f}% {encode[ext]:>9.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
