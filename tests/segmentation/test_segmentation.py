"""course_lib.segmentation (NumPy parts): texture scenes, boundary bands, Gabor pixel features, Lab helpers."""

import numpy as np
import pytest
from skimage import color

from course_lib import gabor, metrics, segmentation
from course_lib.segmentation import colour


@pytest.fixture(scope="module")
def scenes():
    return segmentation.texture_scenes(12, size=32, rng=0)


def test_texture_scenes_shapes_labels_and_reproducibility(scenes):
    assert scenes.images.shape == (12, 32, 32, 1) and scenes.images.dtype == np.float32
    assert scenes.masks.shape == (12, 32, 32) and scenes.masks.dtype == np.int64
    assert 0.0 <= scenes.images.min() and scenes.images.max() <= 1.0
    assert set(np.unique(scenes.masks)) <= {0, 1, 2, 3} and (scenes.masks > 0).any(axis=(1, 2)).all()
    again = segmentation.texture_scenes(12, size=32, rng=0)
    np.testing.assert_array_equal(again.images, scenes.images)
    np.testing.assert_array_equal(again.masks, scenes.masks)
    other = segmentation.texture_scenes(12, size=32, rng=1)
    assert not np.array_equal(other.masks, scenes.masks)


def test_split_is_by_source_image():
    train = segmentation.texture_scenes(20, size=32, split="train", rng=0)
    test = segmentation.texture_scenes(20, size=32, split="test", rng=0)
    assert set(train.sources) <= set(segmentation.BACKGROUNDS["train"])
    assert set(test.sources) <= set(segmentation.BACKGROUNDS["test"])
    assert not set(segmentation.BACKGROUNDS["train"]) & set(segmentation.BACKGROUNDS["test"])


def test_a_threshold_cannot_segment_the_scenes(scenes):
    """Objects have the brightness of what they cover: the best global threshold finds little."""
    objects = scenes.masks > 0
    best = max(
        metrics.mean_iou(objects, scenes.images[..., 0] > t) for t in np.linspace(0.05, 0.95, 19)
    )
    assert best < 0.6
    # but the objects are there: each has the same contrast (clipping at 0 and 1 lowers a few)
    spreads = [scenes.images[i, ..., 0][scenes.masks[i] == c].std()
               for i in range(len(scenes.masks)) for c in np.unique(scenes.masks[i]) if c > 0]
    assert abs(float(np.median(spreads)) - 0.2) < 0.05


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 0}, ValueError, "n must be >= 1"),
        ({"n": 2, "size": 200}, ValueError, "size must be at most 128"),
        ({"n": 2, "split": "val"}, ValueError, "split must be one of"),
        ({"n": 2, "object_radius": (0.3, 0.1)}, ValueError, "object_radius must satisfy"),
        ({"n": 2, "object_radius": 0.3}, ValueError, "object_radius must be a pair"),
        ({"n": 2.5}, TypeError, "n must be an int"),
    ],
)
def test_texture_scenes_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        segmentation.texture_scenes(**kwargs)


def test_boundary_band():
    mask = np.zeros((8, 8), dtype=int)
    mask[2:6, 2:6] = 1
    band = segmentation.boundary_band(mask, width=1)
    assert band[2, 2] and band[1, 3] and not band[4, 4] and not band[0, 0]
    wide = segmentation.boundary_band(mask[None], width=2)[0]
    assert wide.sum() > band.sum() and wide[band].all()
    assert not segmentation.boundary_band(np.zeros((4, 4), int)).any()
    with pytest.raises(ValueError, match="masks must be a 2-D or 3-D integer label map"):
        segmentation.boundary_band(np.zeros(4, int))
    with pytest.raises(ValueError, match="width must be >= 1"):
        segmentation.boundary_band(mask, width=0)


def test_pixel_features_respond_to_orientation():
    stripes = np.tile([0.0, 1.0], (16, 8))[None]  # vertical stripes
    bank = gabor.gabor_bank(0.5, [0, np.pi / 2], 1.0)
    features = segmentation.pixel_features(stripes, bank, smooth=1.0)
    assert features.shape == (1, 16, 16, 3)
    assert features[..., 0].mean() > 10 * features[..., 1].mean()
    np.testing.assert_allclose(features[..., 2].mean(), 0.5, atol=1e-6)
    with pytest.raises(ValueError, match="images must have one channel"):
        segmentation.pixel_features(np.zeros((1, 8, 8, 3)), bank)
    with pytest.raises(TypeError, match="bank must be a non-empty list"):
        segmentation.pixel_features(stripes, [])
    with pytest.raises(ValueError, match="smooth must be >= 0"):
        segmentation.pixel_features(stripes, bank, smooth=-1)


def test_sample_pixels():
    features = np.arange(2 * 3 * 3 * 2).reshape(2, 3, 3, 2).astype(float)
    masks = np.arange(18).reshape(2, 3, 3)
    x, y = segmentation.sample_pixels(features, masks, 5, rng=0)
    assert x.shape == (5, 2) and np.array_equal(x[:, 0], 2 * y)  # each vector keeps its label
    with pytest.raises(ValueError, match="must match"):
        segmentation.sample_pixels(features, masks[:1], 5)


def test_lab_round_trip_and_chroma():
    rgb = colour.colour_patches(3, size=16, split="test", rng=0)
    lightness, ab = colour.split_lab(rgb)
    np.testing.assert_allclose(lightness[..., 0] * 100, color.rgb2lab(rgb)[..., 0], atol=1e-3)
    np.testing.assert_allclose(colour.join_lab(lightness, ab), rgb, atol=1e-3)
    grey = np.repeat(rgb.mean(axis=-1, keepdims=True), 3, axis=-1)
    assert colour.chroma(colour.split_lab(grey)[1]).max() < 0.01  # grey: chroma 0 up to float32 rounding
    with pytest.raises(ValueError, match="images must hold values in"):
        colour.split_lab(rgb * 255)
    with pytest.raises(ValueError, match="images must be RGB"):
        colour.split_lab(rgb[..., :2])
    with pytest.raises(ValueError, match="ab must have 2 channels in its last axis"):
        colour.join_lab(lightness, ab[..., :1])
    with pytest.raises(ValueError, match="ab must have 2 channels"):
        colour.chroma(np.zeros((2, 3)))


def test_colour_split_is_by_photograph():
    assert not set(colour.COLOUR_PHOTOS["train"]) & set(colour.COLOUR_PHOTOS["test"])
    with pytest.raises(ValueError, match="scale must be <= 1"):
        colour.colour_patches(1, scale=2.0)


def test_bins_quantize_rebalance_decode():
    centres = colour.ab_bins(10.0)
    assert centres.shape == (22 * 22, 2)
    ab = np.random.default_rng(0).uniform(-100, 100, size=(50, 2))
    bins = colour.quantize_ab(ab, centres)
    assert np.abs(centres[bins] - ab).max() <= 5.0 + 1e-9
    weights = colour.rebalance_weights(bins, len(centres), mix=0.5)
    frequency = np.bincount(bins, minlength=len(centres)) / bins.size
    assert np.sum(frequency * weights) == pytest.approx(1.0, rel=1e-5)
    assert weights.max() > weights[bins].min()
    # a one-hot distribution decodes to its bin; T = 1 is the plain mean
    one_hot = np.eye(len(centres))[bins]
    np.testing.assert_allclose(colour.decode_ab(one_hot, centres), centres[bins], atol=1e-3)
    mixed = np.full(len(centres), 1 / len(centres))
    np.testing.assert_allclose(colour.decode_ab(mixed, centres, temperature=1.0), centres.mean(axis=0), atol=1e-3)
    with pytest.raises(ValueError, match="bins must hold indices"):
        colour.rebalance_weights([0, 5], 3)
    with pytest.raises(ValueError, match="probabilities has 2 bins but centres"):
        colour.decode_ab([0.5, 0.5], centres)
    with pytest.raises(ValueError, match=r"ab must have 2 channels in its last axis, shape \(\.\.\., 2\); got shape \(3, 3\)"):
        colour.quantize_ab(np.zeros((3, 3)), centres)


# --- the wider fuzz pass (issue 22): every argument named -------------------------------------------

def test_sample_pixels_and_boundary_band_name_ragged_or_fractional_inputs():
    features, masks = np.zeros((1, 2, 2, 3)), np.zeros((1, 2, 2), int)
    with pytest.raises(ValueError, match=r"^features must be a rectangular array; got a ragged sequence"):
        segmentation.sample_pixels([[0.1, 0.2], [0.3]], masks, 2)
    with pytest.raises(ValueError, match=r"^features contains NaN"):
        segmentation.sample_pixels(np.full((1, 2, 2, 3), np.nan), masks, 2)
    with pytest.raises(ValueError, match=r"^masks must be whole class numbers; got 0\.5"):
        segmentation.sample_pixels(features, masks + 0.5, 2)
    with pytest.raises(ValueError, match=r"^masks must be a rectangular array"):
        segmentation.boundary_band([[0, 1], [1]])


def test_rebalance_weights_refuses_fractional_or_ragged_bins():
    with pytest.raises(ValueError, match=r"^bins must be whole class numbers; got 0\.5"):
        colour.rebalance_weights([0, 0.5], 2)
    with pytest.raises(ValueError, match=r"^bins must be a rectangular array"):
        colour.rebalance_weights([[0, 1], [1]], 2)
    with pytest.raises(TypeError, match=r"^bins must be a numeric array; got NoneType"):
        colour.rebalance_weights(None, 2)


def test_pixel_features_converts_8_bit_refuses_0_255_and_a_string_bank():
    bank = [gabor.gabor_kernel(0.25)]
    image = np.linspace(0, 1, 64).reshape(1, 8, 8)
    np.testing.assert_allclose(segmentation.pixel_features(np.round(image * 255).astype(np.uint8), bank)[..., -1],
                               segmentation.pixel_features(np.round(image * 255) / 255, bank)[..., -1], atol=1e-6)
    with pytest.raises(ValueError, match=r"^images must lie in \[0, 1\] \(give or take 0\.5\).*divide it by 255"):
        segmentation.pixel_features(image * 255, bank)
    with pytest.raises(TypeError, match=r"^bank must be a non-empty list of Gabor kernels; got str"):
        segmentation.pixel_features(image, "abc")
