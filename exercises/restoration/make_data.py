"""Write restoration_noisy.npy, the images students denoise (run from this folder).

The clean images are never written: the hidden test of the restoration master rebuilds them
with the same code (keep the two copies of ``clean_images`` identical).
"""

import numpy as np


def clean_images():
    rng = np.random.default_rng(2024)
    rows, cols = np.mgrid[0:32, 0:32] / 31.0
    images = []
    for _ in range(12):
        image = 0.4 * (rng.uniform() * rows + rng.uniform() * cols) / 2 + 0.2
        for _ in range(2):
            top, left = rng.integers(0, 24, size=2)
            height, width = rng.integers(4, 12, size=2)
            image[top:top + height, left:left + width] = rng.uniform(0.3, 1.0)
        images.append(image)
    return np.clip(np.stack(images), 0.0, 1.0).astype(np.float32)  # (12, 32, 32)


def noisy_images():
    rng = np.random.default_rng(99)
    clean = clean_images()
    return np.clip(clean + rng.normal(0.0, 0.1, clean.shape), 0.0, 1.0).astype(np.float32)


if __name__ == "__main__":
    np.save("restoration_noisy.npy", noisy_images())
