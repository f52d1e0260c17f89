#!/usr/bin/python3
"""Writes the hostile and broken files corpus into tests/fixtures/bad/ and
tests/fixtures/bad/expected.json, which says for every file what must happen:

  {"expect": "<ErrorKind>", "stage": "reader"}  opening or reading any array throws that kind
  {"expect": "reads-ok", "stage": "...", "later": "<ErrorKind>"}  the readers accept it; the
      named later stage (measures, labels) must reject it, or nothing must (stage "none").

A test enumerates the folder, so a file without an entry here fails the suite.
Run with Debian's python:  /usr/bin/python3 scripts/make_bad_files.py
(then node scripts/make_parquet_fixtures.mjs --bad writes the parquet ones).
"""
import io
import json
import os
import pickle
import struct
import zipfile
import zlib

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'bad')
# The payloads below would create this file if anything ever executed them; the test checks it never appears.
PWNED_MARKER = '/tmp/redundancy-lab-pwned'
rng = np.random.default_rng(7)
expected = {}


def path(name):
    return os.path.join(OUT, name)


def reader_error(name, kind, why):
    expected[name] = {'expect': kind, 'stage': 'reader', 'why': why}


def reads_ok(name, stage, later, why):
    expected[name] = {'expect': 'reads-ok', 'stage': stage, 'later': later, 'why': why}


def npy_bytes(a, **kw):
    buf = io.BytesIO()
    np.save(buf, a, **kw)
    return buf.getvalue()


def write(name, data):
    with open(path(name), 'wb') as f:
        f.write(data)


def matrix(rows=10, cols=4):
    return rng.standard_normal((rows, cols)).astype(np.float32)


def zip_bytes(entries, eocd_zip64=False):
    """A minimal zip writer so the central directory can declare what we want.
    entries: (name, payload, method, declared_uncompressed_size or None)."""
    out, central = io.BytesIO(), []
    for name, payload, method, declared in entries:
        raw_name = name.encode()
        data = payload if method == 0 else (lambda c: c.compress(payload) + c.flush())(zlib.compressobj(9, zlib.DEFLATED, -15))
        size = len(payload) if declared is None else declared
        crc = zlib.crc32(payload)
        offset = out.tell()
        big = size >= 0xFFFFFFFF
        local_extra = struct.pack('<HHQQ', 1, 16, size, len(data)) if big else b''
        out.write(struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0, method, 0, 0, crc,
                              0xFFFFFFFF if big else len(data), 0xFFFFFFFF if big else size, len(raw_name), len(local_extra)))
        out.write(raw_name + local_extra + data)
        central.append((raw_name, method, crc, len(data), size, offset, big))
    cd_start = out.tell()
    for raw_name, method, crc, csize, usize, offset, big in central:
        extra = struct.pack('<HHQQ', 1, 16, usize, csize) if big else b''
        out.write(struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 45, 45, 0, method, 0, 0, crc,
                              0xFFFFFFFF if big else csize, 0xFFFFFFFF if big else usize,
                              len(raw_name), len(extra), 0, 0, 0, 0, offset))
        out.write(raw_name + extra)
    cd_size = out.tell() - cd_start
    if eocd_zip64:
        z64 = out.tell()
        out.write(struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 45, 45, 0, 0, len(central), len(central), cd_size, cd_start))
        out.write(struct.pack('<IIQI', 0x07064b50, 0, z64, 1))
        out.write(struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    else:
        out.write(struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, len(central), len(central), cd_size, cd_start, 0))
    return out.getvalue()


class Evil:
    """Pickles as a call to `fn(*args)`; unpickling it in Python would run that call."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


def torch_zip(name, pickle_bytes, extra=()):
    stem = name.rsplit('.', 1)[0]
    entries = [(f'{stem}/data.pkl', pickle_bytes, 0, None), (f'{stem}/version', b'3\n', 0, None)]
    entries += [(f'{stem}/{n}', d, 0, None) for n, d in extra]
    write(name, zip_bytes(entries))


def npy_cases():
    good = npy_bytes(matrix())
    write('truncated.npy', good[:-10])
    reader_error('truncated.npy', 'corrupt-file', 'data 10 bytes shorter than shape x itemsize')
    write('header_only.npy', good[:128])
    reader_error('header_only.npy', 'corrupt-file', 'header present, no data at all')
    lying = good.replace(b"'shape': (10, 4)", b"'shape': (99, 4)")
    assert lying != good
    write('header_lies_shape.npy', lying)
    reader_error('header_lies_shape.npy', 'corrupt-file', 'header claims 99 rows, data holds 10')
    write('object_dtype.npy', npy_bytes(np.array([np.zeros(3), np.zeros(4)], dtype=object), allow_pickle=True))
    reader_error('object_dtype.npy', 'unsupported-dtype', 'ragged vectors saved as dtype=object (pickled)')
    write('complex_dtype.npy', npy_bytes(matrix().astype(np.complex64)))
    reader_error('complex_dtype.npy', 'unsupported-dtype', 'complex64')
    write('string_dtype.npy', npy_bytes(np.array([['a', 'bc'], ['d', 'e']])))
    reader_error('string_dtype.npy', 'unsupported-dtype', 'unicode strings <U2')
    write('bytes_dtype.npy', npy_bytes(np.array([b'ab', b'cd'])))
    reader_error('bytes_dtype.npy', 'unsupported-dtype', 'byte strings |S2')
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.zeros(3, dtype=[('größe', '<f4'), ('ß', '<i4')]), version=(3, 0))
    write('structured_v3_unicode.npy', buf.getvalue())
    reader_error('structured_v3_unicode.npy', 'unsupported-dtype', 'v3 header with unicode field names of a structured dtype')
    write('zero_d.npy', npy_bytes(np.float32(3.5)))
    reader_error('zero_d.npy', 'bad-shape', '0-D array: a single number')
    write('version_9.npy', b'\x93NUMPY\x09\x00' + good[8:])
    reader_error('version_9.npy', 'unsupported-format', 'npy format version 9 does not exist')

    write('one_d.npy', npy_bytes(rng.standard_normal(10).astype(np.float32)))
    reads_ok('one_d.npy', 'measures', 'bad-shape', '1-D array reads as N x 1; fine as labels, too few dims for embeddings')
    x = matrix()
    x[3, 1] = np.nan
    write('nan_values.npy', npy_bytes(x))
    reads_ok('nan_values.npy', 'measures', 'bad-values', 'NaN must be rejected by the measures input checks')
    x = matrix()
    x[0, 0] = np.inf
    write('inf_values.npy', npy_bytes(x))
    reads_ok('inf_values.npy', 'measures', 'bad-values', 'Inf must be rejected by the measures input checks')
    x = matrix()
    x[:, 2] = 1.5
    write('constant_column.npy', npy_bytes(x))
    reads_ok('constant_column.npy', 'measures', 'none', 'a constant column has zero variance; measures must handle it (drop or report), not divide by zero')
    write('all_constant.npy', npy_bytes(np.full((10, 4), 2.0, dtype=np.float32)))
    reads_ok('all_constant.npy', 'measures', 'bad-values', 'every column constant: nothing to measure')
    write('n_less_than_d.npy', npy_bytes(matrix(3, 10)))
    reads_ok('n_less_than_d.npy', 'measures', 'bad-shape', 'N = 3 < D = 10: covariance is rank deficient')
    write('single_row.npy', npy_bytes(matrix(1, 5)))
    reads_ok('single_row.npy', 'measures', 'bad-shape', 'N = 1: no variance to measure')
    write('empty.npy', b'')
    reader_error('empty.npy', 'corrupt-file', 'zero-byte file')
    write('npy_named.csv', npy_bytes(matrix()))
    reads_ok('npy_named.csv', 'none', 'none', 'an .npy named .csv: sniffed by content, reads fine')
    write('png_named.npy', b'\x89PNG\r\n\x1a\n' + bytes(rng.integers(0, 256, 200, dtype=np.uint8)))
    reader_error('png_named.npy', 'unsupported-format', 'a PNG image named .npy')
    write('random_bytes.bin', bytes(rng.integers(0, 256, 512, dtype=np.uint8)))
    reader_error('random_bytes.bin', 'unsupported-format', 'random bytes')
    write('plain_pickle.pkl', pickle.dumps({'x': [1.0, 2.0]}, protocol=4))
    reader_error('plain_pickle.pkl', 'unsupported-format', 'a bare pickle: never unpickled')


def text_cases():
    write('ragged.csv', b'1,2,3\n4,5,6\n7,8\n9,10,11\n')
    reader_error('ragged.csv', 'corrupt-file', 'line 3 has 2 columns, expected 3')
    write('text_in_numeric.csv', b'1,2,3\n4,abc,6\n7,8,9\n')
    reader_error('text_in_numeric.csv', 'unsupported-dtype', 'cell "abc" at line 2, column 2')
    write('empty_cell.csv', b'1,2,3\n4,,6\n')
    reader_error('empty_cell.csv', 'unsupported-dtype', 'an empty cell is missing data')
    write('comments_only.txt', b'# nothing here\n\n# still nothing\n')
    reader_error('comments_only.txt', 'bad-shape', 'no rows of numbers')
    write('inf_values.csv', b'1,2\n3,inf\n5,6\n')
    reads_ok('inf_values.csv', 'measures', 'bad-values', 'inf parses to Infinity; measures reject it')
    write('csv_named.npy', b'1.0,2.0\n3.0,4.0\n5.0,6.5\n')
    reads_ok('csv_named.npy', 'none', 'none', 'a CSV named .npy: sniffed by content, reads fine')


def zip_cases():
    npy = npy_bytes(matrix())
    write('zip_bomb.npz', zip_bytes([('embeddings.npy', npy, 8, 10 * 2 ** 30)], eocd_zip64=True))
    reader_error('zip_bomb.npz', 'too-large', 'central directory (ZIP64) declares 10 GiB uncompressed')
    write('inflates_past_declared.npz', zip_bytes([('embeddings.npy', npy + bytes(4000), 8, len(npy))]))
    reader_error('inflates_past_declared.npz', 'corrupt-file', 'deflate stream produces more than the declared size')
    good = open(os.path.join(OUT, '..', 'io', 'compressed.npz'), 'rb').read()
    write('truncated.npz', good[: len(good) // 2])
    reader_error('truncated.npz', 'corrupt-file', 'second half missing, including the central directory')
    write('zip_without_arrays.npz', zip_bytes([('readme.txt', b'hello', 0, None)]))
    reader_error('zip_without_arrays.npz', 'unsupported-format', 'a zip with neither .npy entries nor data.pkl')
    labels = rng.integers(0, 3, size=9)
    buf = io.BytesIO()
    np.savez(buf, embeddings=matrix(10, 4), labels=labels)
    write('labels_wrong_length.npz', buf.getvalue())
    reads_ok('labels_wrong_length.npz', 'labels', 'bad-labels', '10 embeddings but 9 labels: rejected when the two are paired')
    buf = io.BytesIO()
    np.savez(buf, embeddings=matrix(10, 4), labels=rng.standard_normal(10))
    write('labels_not_integer.npz', buf.getvalue())
    reads_ok('labels_not_integer.npz', 'labels', 'bad-labels', 'float labels with fractions: rejected when used as classes')


def torch_cases():
    torch_zip('os_system.pt', pickle.dumps(Evil(os.system, (f'touch {PWNED_MARKER}',)), protocol=2))
    reader_error('os_system.pt', 'unsafe-pickle', 'pickle calls posix.system (os.system) via REDUCE')
    torch_zip('builtins_eval.pt', pickle.dumps(Evil(eval, (f"__import__('os').system('touch {PWNED_MARKER}')",)), protocol=4))
    reader_error('builtins_eval.pt', 'unsafe-pickle', 'pickle (protocol 4, STACK_GLOBAL) calls builtins.eval')
    # an allowed tensor next to a forbidden call inside one dict: the whole file is refused
    tensor_pickle = io.BytesIO()
    torch.save({'weights': torch.zeros(2, 2)}, tensor_pickle)
    with zipfile.ZipFile(io.BytesIO(tensor_pickle.getvalue())) as z:
        storages = [(n.split('/', 1)[1], z.read(n)) for n in z.namelist() if '/data/' in n]
    mixed = pickle.dumps({'weights': Evil(os.system, (f'touch {PWNED_MARKER}',))}, protocol=2)
    torch_zip('mixed_payload.pt', mixed, storages)
    reader_error('mixed_payload.pt', 'unsafe-pickle', 'a dict whose value calls posix.system')
    torch_zip('numpy_reconstruct.pt', pickle.dumps({'x': np.zeros(3)}, protocol=2))
    reader_error('numpy_reconstruct.pt', 'unsafe-pickle', 'numpy arrays pickled inside: numpy.core.multiarray._reconstruct is not on the allow-list')
    buf = io.BytesIO()
    torch.save(torch.zeros(4, 3), buf, _use_new_zipfile_serialization=False)
    write('legacy_torch.pt', buf.getvalue())
    reader_error('legacy_torch.pt', 'unsupported-format', 'legacy non-zip torch.save format')
    buf = io.BytesIO()
    torch.save(torch.zeros(4, 3), buf)
    write('truncated.pt', buf.getvalue()[:300])
    reader_error('truncated.pt', 'corrupt-file', 'cut inside the archive')
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        pkl = z.read([n for n in z.namelist() if n.endswith('data.pkl')][0])
    torch_zip('missing_storage.pt', pkl)
    reader_error('missing_storage.pt', 'corrupt-file', 'data.pkl points at data/0, which is absent')
    torch_zip('no_tensors.pt', pickle.dumps({'epoch': 3, 'lr': 0.1}, protocol=2))
    reader_error('no_tensors.pt', 'bad-shape', 'a checkpoint with no tensors')
    pkl, storages = torch_parts(torch.zeros(3, 2, dtype=torch.complex64))
    torch_zip('complex_tensor.pt', pkl, storages)
    reader_error('complex_tensor.pt', 'unsupported-dtype', 'complex64 tensor (ComplexFloatStorage)')


def torch_parts(t):
    buf = io.BytesIO()
    torch.save(t, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        pkl = z.read([n for n in z.namelist() if n.endswith('data.pkl')][0])
        storages = [(n.split('/', 1)[1], z.read(n)) for n in z.namelist() if '/data/' in n]
    return pkl, storages


def safetensors_file(name, header, data):
    text = json.dumps(header).encode()
    write(name, struct.pack('<Q', len(text)) + text + data)


def safetensors_cases():
    x = matrix(4, 3)
    safetensors_file('offsets_out_of_range.safetensors', {'x': {'dtype': 'F32', 'shape': [4, 3], 'data_offsets': [0, 4800]}}, x.tobytes())
    reader_error('offsets_out_of_range.safetensors', 'corrupt-file', 'data_offsets end at 4800, data section has 48 bytes')
    safetensors_file('offsets_wrong_span.safetensors', {'x': {'dtype': 'F32', 'shape': [4, 3], 'data_offsets': [0, 40]}}, x.tobytes())
    reader_error('offsets_wrong_span.safetensors', 'corrupt-file', 'shape needs 48 bytes, offsets span 40')
    text = b'{"x": {"dtype": "F32", "shape": [4, 3], "data_offsets": [0, 48]}}'
    write('header_length_lies.safetensors', struct.pack('<Q', len(text) + 5000) + text + x.tobytes())
    reader_error('header_length_lies.safetensors', 'corrupt-file', 'header length points past the end of the file')
    safetensors_file('bad_json.safetensors', {'x': 1}, b'')
    reader_error('bad_json.safetensors', 'corrupt-file', 'tensor entry is not an object with dtype/shape/data_offsets')
    safetensors_file('f8_dtype.safetensors', {'x': {'dtype': 'F8_E4M3', 'shape': [4, 3], 'data_offsets': [0, 12]}}, bytes(12))
    reader_error('f8_dtype.safetensors', 'unsupported-dtype', 'float8 tensor')


def parquet_specs():
    """Parquet files are written by scripts/make_parquet_fixtures.mjs --bad from these specs."""
    specs = {
        'non_numeric_column.parquet': {
            'columns': [{'name': 'text', 'type': 'STRING', 'data': [f'sentence {i}' for i in range(6)]},
                        {'name': 'embedding', 'type': 'FLOAT_LIST', 'data': [[float(v) for v in r] for r in matrix(6, 3)]}],
        },
        'only_text.parquet': {
            'columns': [{'name': 'text', 'type': 'STRING', 'data': [f'sentence {i}' for i in range(6)]}],
        },
        'ragged_list.parquet': {
            'columns': [{'name': 'embedding', 'type': 'FLOAT_LIST', 'data': [[1.0, 2.0, 3.0], [4.0, 5.0], [6.0, 7.0, 8.0]]}],
        },
    }
    with open(path('parquet_specs.json'), 'w') as f:
        json.dump(specs, f, indent=1)
    reader_error('non_numeric_column.parquet', 'unsupported-dtype', 'the "text" column is listed as unusable; reading it fails')
    reader_error('only_text.parquet', 'unsupported-dtype', 'no numeric column at all')
    reader_error('ragged_list.parquet', 'corrupt-file', 'row 2 of the list column has 2 values, row 1 has 3')
    expected['parquet_specs.json'] = {'expect': 'ignore', 'stage': 'none', 'why': 'input of make_parquet_fixtures.mjs --bad'}
    expected['truncated.parquet'] = {'expect': 'corrupt-file', 'stage': 'reader', 'why': 'PAR1 at the start only'}


def main():
    os.makedirs(OUT, exist_ok=True)
    npy_cases()
    text_cases()
    zip_cases()
    torch_cases()
    safetensors_cases()
    parquet_specs()
    with open(path('expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write('\n')
    expected['expected.json'] = None
    print(f'wrote {len(expected) - 1} entries to {OUT}')


if __name__ == '__main__':
    main()
