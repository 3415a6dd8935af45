"""Image benchmark: every rendition of a large camera JPEG, timed, with the process's peak memory.

usage: python bench/image_bench.py [--width 6000] [--height 4000] [--runs 3]

Each run is a fresh Python process that cleans the upload (upright, no metadata, at most 2400 pixels)
and writes all renditions (480, 960, 1600 wide in WebP and JPEG, and the 1200x630 social card) to a
temporary storage. It prints seconds and peak RSS, beside the RSS of the same process before the work,
and the memory the full-size decoded picture would have needed.
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
from articles import images

source, media = sys.argv[1], sys.argv[2]
storage = FileSystemStorage(location=media)
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
with open(source, "rb") as handle:
    cleaned, picture = images.clean_upload(File(handle, name="photo.jpg"))
name = storage.save("articles/photo.jpg", cleaned)
renditions = images.build_renditions(name, picture, storage=storage)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
files = 1 + len(images.rendition_files(renditions))
print(json.dumps({"seconds": seconds, "baseline_kib": baseline, "peak_kib": peak, "files": files}))
"""


def make_photo(path, width, height):
    """A noisy camera-like JPEG (noise keeps the encoder honest) with EXIF orientation and GPS."""
    from PIL import Image

    tile = Image.effect_noise((500, 500), 60).convert("RGB")
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
    parser.add_argument("--width", type=int, default=6000)
    parser.add_argument("--height", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "camera.jpg"
        make_photo(source, args.width, args.height)
        size_mib = source.stat().st_size / 1048576
        full_mib = args.width * args.height * 3 / 1048576
        print(f"image benchmark: {args.width}x{args.height} JPEG, {size_mib:.1f} MiB on disk, "
              f"{full_mib:.0f} MiB if fully decoded")  # fmt: skip
        print(f"{'run':>4} {'seconds':>9} {'files':>6} {'base MiB':>9} {'peak MiB':>9} {'added MiB':>10}")
        for run in range(1, args.runs + 1):
            media = Path(tmp) / f"media-{run}"
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(source), str(media)],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            base, peak = figures["baseline_kib"] / 1024, figures["peak_kib"] / 1024
            print(f"{run:>4} {figures['seconds']:>9.2f} {figures['files']:>6} {base:>9.1f} {peak:>9.1f} "
                  f"{peak - base:>10.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
