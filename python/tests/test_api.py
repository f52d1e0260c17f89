"""The Python package against the CLI it wraps and against NumPy (run: python3 -m pytest python/tests).

The numbers must be the CLI's exactly (same file, same JSON), CKA must equal NumPy's formula, bad input must raise
RedundancyLabError with the CLI's message, and Ctrl-C must end the child process.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

import redundancy_lab as rl  # noqa: E402

CLI = [os.environ.get("REDUNDANCY_LAB_NODE", "node"), str(REPO / "bin" / "redundancy-lab.mjs")]


def low_rank(n=400, d=12, seed=0):
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((n, 3))
    return (latent @ rng.standard_normal((3, d)) + 0.5 * rng.standard_normal((n, d))).astype(np.float32)


def cli_json(*args):
    out = subprocess.run([*CLI, *args, "--json"], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout)


def without_timings(data):
    return {k: v for k, v in data.items() if k not in ("timingsMs", "file")}


def test_measure_an_array_gives_the_clis_numbers_exactly(tmp_path):
    x = low_rank()
    path = tmp_path / "x.npy"
    np.save(path, x)
    expected = cli_json("measure", str(path), "--measures", "aac,lr")
    result = rl.measure(x, measures=["aac", "lr"], progress=False)
    assert without_timings(result.data) == without_timings(expected)
    assert result.aac == expected["aac"]["value"]
    assert result.lr == expected["lr"]["value"]
    assert result.nlr is None
    # the per-dim table is the JSON's per-dim arrays
    table = result.per_dim
    lr = np.asarray(table["lr"])
    assert lr.shape == (12,)
    np.testing.assert_array_equal(lr, np.array(expected["lr"]["perDim"]))
    assert json.loads(result.to_json()) == result.data


def test_aac_equals_numpy_in_float64():
    x = low_rank(seed=3)
    z = (x - x.mean(0)) / x.std(0)
    corr = np.corrcoef(z.astype(np.float64), rowvar=False)
    expected = np.abs(corr[np.triu_indices(12, 1)]).mean()
    assert rl.measure(x, measures=["aac"], progress=False).aac == pytest.approx(expected, abs=1e-6)


def test_a_path_and_settings_pass_through(tmp_path):
    x = low_rank(seed=1)
    path = tmp_path / "emb.npy"
    np.save(path, x)
    result = rl.measure(path, measures=["aac", "lr"], seed=3, top_predictors=2, progress=False)
    assert result.data["settings"]["splitSeed"] == 3
    assert all(len(p) == 2 for p in result.data["lr"]["topPredictors"] if p is not None)
    with pytest.raises(TypeError, match="unknown setting 'sede'"):
        rl.measure(path, sede=3)


def test_the_report_is_self_contained_html(tmp_path):
    result = rl.measure(low_rank(), measures=["aac", "lr"], progress=False)
    html = result._repr_html_()
    assert html and "<table" in html and "<script" not in html
    written = result.report(tmp_path / "r.html")
    assert written.read_text(encoding="utf-8") == html


def test_a_torch_tensor_is_measured_as_its_array():
    torch = pytest.importorskip("torch")
    x = low_rank(seed=2)
    from_tensor = rl.measure(torch.from_numpy(x), measures=["aac", "lr"], progress=False)
    from_array = rl.measure(x, measures=["aac", "lr"], progress=False)
    assert from_tensor.lr == from_array.lr and from_tensor.aac == from_array.aac


def test_bad_input_raises_with_the_clis_message(tmp_path):
    text = tmp_path / "notes.npy"
    text.write_text("hello")
    with pytest.raises(rl.RedundancyLabError, match=r"notes\.npy: this is not a NumPy file"):
        rl.measure(text, progress=False)
    with pytest.raises(rl.RedundancyLabError, match="2 dimensions"):
        rl.measure(np.zeros(5, dtype=np.float32), progress=False)
    with pytest.raises(rl.RedundancyLabError, match="no such file"):
        rl.measure(tmp_path / "missing.npy", progress=False)


def test_node_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("REDUNDANCY_LAB_NODE", "/nonexistent/node")
    with pytest.raises(rl.RedundancyLabError, match="Node.js was not found at /nonexistent/node"):
        rl.measure(low_rank(), progress=False)


def linear_cka(a, b):
    a = a.astype(np.float64) - a.mean(0)
    b = b.astype(np.float64) - b.mean(0)
    return np.linalg.norm(b.T @ a) ** 2 / (np.linalg.norm(a.T @ a) * np.linalg.norm(b.T @ b))


def test_compare_equals_numpys_linear_cka():
    a = low_rank(seed=4)
    b = np.tanh(a[:, :6]) + 0.1 * low_rank(seed=5)[:, :6]
    result = rl.compare(a, b, progress=False)
    cka = result.linear_cka
    assert cka.shape == (2, 2)
    assert cka[0, 1] == pytest.approx(linear_cka(a, b), abs=1e-6)
    assert cka[0, 1] == cka[1, 0] and cka[0, 0] == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(rl.RedundancyLabError):
        rl.compare(a, b[:100], progress=False)


def test_study_measures_every_model_and_reports_bad_ones(tmp_path):
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 3, 400)
    models = {"m1": low_rank(seed=1), "m2": low_rank(seed=2), "m3": low_rank(seed=3), "m4": low_rank(seed=4)}
    result = rl.study(models, labels=labels, measures=["aac", "lr"], progress=False)
    assert len(result.rows) == 4
    assert result._repr_html_() and "<script" not in result._repr_html_()


def test_ctrl_c_ends_the_child_process(tmp_path):
    # a long job (paper NLR on every dim) in a child Python; SIGINT there must leave no CLI process behind
    x = np.random.default_rng(0).standard_normal((3000, 64)).astype(np.float32)
    marker = tmp_path / f"ctrl-c-{os.getpid()}.npy"
    np.save(marker, x)
    script = f"import sys; sys.path.insert(0, {str(REPO / 'python')!r}); import redundancy_lab as rl; rl.measure({str(marker)!r}, preset='paper', progress=False)"
    child = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)

    def cli_running():
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and str(marker) in (proc / "cmdline").read_bytes().decode(errors="replace") and int(proc.name) != child.pid:
                    return True
            except OSError:
                continue
        return False

    deadline = time.time() + 60
    while not cli_running():
        assert time.time() < deadline, "the CLI never started"
        time.sleep(0.2)
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=10)
    assert child.returncode != 0 and "KeyboardInterrupt" in err
    # ended by the package at once, not whenever the orphan next writes to a closed pipe
    deadline = time.time() + 2
    while cli_running():
        assert time.time() < deadline, "the CLI kept running after Ctrl-C"
        time.sleep(0.2)


def test_pip_install_from_the_checkout_finds_the_cli(tmp_path):
    # as a user would: a fresh virtual environment, `pip install ./python`, then measure from anywhere
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index", str(REPO / "python")]
    subprocess.run(pip, check=True, cwd=tmp_path)
    code = "import numpy as np, redundancy_lab as rl; r = rl.measure(np.eye(50, 6, dtype='float32') + np.arange(300, dtype='float32').reshape(50, 6) % 7, measures=['aac'], progress=False); print(rl.__file__); print(r.aac)"
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path).stdout.split()
    assert out[0].startswith(str(venv))  # the installed copy, not the checkout's source
    assert 0 <= float(out[1]) <= 1
