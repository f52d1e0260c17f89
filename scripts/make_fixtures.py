#!/usr/bin/python3
"""Writes the reader fixtures into tests/fixtures/io/ with the real writers (NumPy, PyTorch),
plus tests/fixtures/io/expected.json: for every fixture and array, the shape, dtype and the
values as NumPy converts them to float32, so the TypeScript readers are checked against what
NumPy/PyTorch wrote, not against themselves.

Run with Debian's python (python3-numpy, python3-torch):  /usr/bin/python3 scripts/make_fixtures.py
Then write the parquet fixtures from the same values:       node scripts/make_parquet_fixtures.mjs
"""
import collections
import io
import json
import os
import struct
import zipfile

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'io')
rng = np.random.default_rng(20240611)
expected = {}


def json_number(v):
    """JSON has no NaN/Infinity: those travel as the strings 'NaN', 'Infinity', '-Infinity'."""
    v = float(v)
    if np.isnan(v):
        return 'NaN'
    if np.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def as_f32_rows(a):
    """Row-major float32 values of `a` flattened to (rows, cols), as NumPy converts them."""
    a = np.asarray(a)
    return [json_number(v) for v in np.ascontiguousarray(a).astype(np.float32).reshape(-1)]


def record(file, fmt, arrays):
    """arrays: list of (name, array, dtype-label) in the order the reader lists them."""
    expected[file] = {
        'format': fmt,
        'arrays': [
            {'name': name, 'shape': list(np.shape(a)), 'dtype': dtype, 'values': as_f32_rows(a)}
            for name, a, dtype in arrays
        ],
    }


def path(name):
    return os.path.join(OUT, name)


def matrix(rows=7, cols=5, dtype=np.float32):
    return rng.standard_normal((rows, cols)).astype(dtype)


def npy_fixtures():
    x = matrix()
    np.save(path('v1_f4.npy'), x)  # np.save picks version 1.0
    record('v1_f4.npy', 'npy', [('', x, 'float32')])
    for version in [(2, 0), (3, 0)]:
        name = f'v{version[0]}_f4.npy'
        with open(path(name), 'wb') as f:
            np.lib.format.write_array(f, x, version=version)
        record(name, 'npy', [('', x, 'float32')])

    ints = rng.integers(-100, 100, size=(6, 3))
    cases = {
        'f2': matrix(6, 3, np.float16), 'f8': matrix(6, 3, np.float64),
        'i1': ints.astype(np.int8), 'i2': ints.astype(np.int16), 'i4': ints.astype(np.int32), 'i8': ints.astype(np.int64),
        'u1': np.abs(ints).astype(np.uint8), 'u2': np.abs(ints).astype(np.uint16),
        'u4': np.abs(ints).astype(np.uint32), 'u8': np.abs(ints).astype(np.uint64),
        'bool': ints > 0,
    }
    for code, a in cases.items():
        np.save(path(f'dtype_{code}.npy'), a)
        record(f'dtype_{code}.npy', 'npy', [('', a, str(a.dtype))])

    for code in ['>f4', '>f8', '>i4', '>i8', '>f2', '>u2']:
        a = (matrix(5, 3) * 10).astype(code)
        name = f'big_endian_{code[1:]}.npy'
        np.save(path(name), a)
        record(name, 'npy', [('', a, a.dtype.newbyteorder('=').name)])

    f = np.asfortranarray(matrix(6, 4))
    np.save(path('fortran_f4.npy'), f)
    record('fortran_f4.npy', 'npy', [('', f, 'float32')])
    f3 = np.asfortranarray(rng.standard_normal((5, 4, 2)).astype(np.float64))
    np.save(path('fortran_3d_f8.npy'), f3)
    record('fortran_3d_f8.npy', 'npy', [('', f3.reshape(5, 8), 'float64')])
    expected['fortran_3d_f8.npy']['arrays'][0]['shape'] = [5, 4, 2]

    c3 = rng.standard_normal((6, 4, 2)).astype(np.float32)
    np.save(path('c_3d_f4.npy'), c3)
    record('c_3d_f4.npy', 'npy', [('', c3.reshape(6, 8), 'float32')])
    expected['c_3d_f4.npy']['arrays'][0]['shape'] = [6, 4, 2]

    labels = rng.integers(0, 3, size=9).astype(np.int64)
    np.save(path('labels_1d_i8.npy'), labels)
    record('labels_1d_i8.npy', 'npy', [('', labels, 'int64')])

    # enough rows that blocks() crosses several ranges
    big = matrix(257, 3)
    np.save(path('rows_257.npy'), big)
    record('rows_257.npy', 'npy', [('', big, 'float32')])


def npz_fixtures():
    emb = matrix(8, 4)
    labels = rng.integers(0, 3, size=8).astype(np.int64)
    np.savez(path('plain.npz'), embeddings=emb, labels=labels)
    record('plain.npz', 'npz', [('embeddings', emb, 'float32'), ('labels', labels, 'int64')])

    fortran = np.asfortranarray(matrix(5, 3, np.float64))
    cube = rng.standard_normal((4, 3, 2)).astype(np.float16)
    # large enough to inflate across several internal steps and blocks
    wide = (rng.standard_normal((300, 64)) * 100).round().astype(np.float32)
    np.savez_compressed(path('compressed.npz'), embeddings=emb, labels=labels, fortran=fortran, cube=cube, wide=wide)
    record('compressed.npz', 'npz', [
        ('embeddings', emb, 'float32'), ('labels', labels, 'int64'), ('fortran', fortran, 'float64'),
        ('cube', cube.reshape(4, 6), 'float16'), ('wide', wide, 'float32'),
    ])
    expected['compressed.npz']['arrays'][3]['shape'] = [4, 3, 2]


def torch_save(name, obj, arrays):
    torch.save(obj, path(name))
    record(name, 'torch', [(n, t.detach().to(torch.float32).contiguous().numpy().reshape(t.shape[0], -1) if t.dim() > 1 else t.detach().to(torch.float32).numpy(), str(t.dtype).replace('torch.', '')) for n, t in arrays])
    for entry, (_, t) in zip(expected[name]['arrays'], arrays):
        entry['shape'] = list(t.shape)


def torch_fixtures():
    t = torch.from_numpy(matrix(6, 4))
    torch_save('tensor.pt', t, [('', t)])
    labels = torch.tensor([0, 1, 2, 0, 1, 2], dtype=torch.int64)
    torch_save('dict.pt', {'embeddings': t, 'labels': labels}, [('embeddings', t), ('labels', labels)])

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Linear(3, 2))
    sd = model.state_dict()  # an OrderedDict with _metadata
    torch_save('state_dict.pt', sd, list(sd.items()))

    nested = {'model': {'layer': {'weight': t, 'bias': t[0].clone()}}, 'step': 3, 'name': 'run-1'}
    torch_save('nested.pt', nested, [('model.layer.weight', t), ('model.layer.bias', nested['model']['layer']['bias'])])

    transposed = t.t()  # non-contiguous view: strides (1, 4)
    assert not transposed.is_contiguous()
    torch_save('transposed.pt', transposed, [('', transposed)])

    base = torch.from_numpy(matrix(8, 5))
    sliced = base[3:6]  # contiguous, storage offset 15
    assert sliced.storage_offset() == 15
    torch_save('slice_offset.pt', sliced, [('', sliced)])
    window = base[2:7, 1:4]  # offset and non-contiguous rows
    torch_save('slice_window.pt', window, [('', window)])

    torch_save('float16.pt', t.to(torch.float16), [('', t.to(torch.float16))])
    torch_save('bfloat16.pt', t.to(torch.bfloat16), [('', t.to(torch.bfloat16))])
    torch_save('float64.pt', t.to(torch.float64), [('', t.to(torch.float64))])
    ints = (t * 10).to(torch.int32)
    torch_save('int32.pt', ints, [('', ints)])
    torch_save('list.pt', [t, labels], [('0', t), ('1', labels)])
    torch_save('tuple.pt', (t, labels), [('0', t), ('1', labels)])
    param = torch.nn.Parameter(t.clone())
    torch_save('parameter.pt', param, [('', param)])
    cube = torch.from_numpy(rng.standard_normal((4, 3, 2)).astype(np.float32))
    torch_save('cube.pt', cube, [('', cube)])

    # big-endian archive: same tensors, storages byte-swapped and archive/byteorder = 'big'
    with zipfile.ZipFile(path('tensor.pt')) as src, zipfile.ZipFile(path('big_endian.pt'), 'w', zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if '/data/' in info.filename:
                data = np.frombuffer(data, dtype='<f4').astype('>f4').tobytes()
            if info.filename.endswith('/byteorder'):
                continue
            dst.writestr(info.filename, data)
        dst.writestr(src.namelist()[0].split('/')[0] + '/byteorder', 'big')
    record('big_endian.pt', 'torch', [('', t.numpy(), 'float32')])


def safetensors_file(name, tensors):
    """The format: u64 LE header length, JSON header (padded with spaces to 8 bytes), raw LE data."""
    header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for key, (dtype, shape, raw) in tensors.items():
        header[key] = {'dtype': dtype, 'shape': list(shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path(name), 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def safetensors_fixtures():
    x = matrix(6, 4)
    t = torch.from_numpy(x)
    bf16 = t.to(torch.bfloat16)
    labels = np.array([0, 1, 2, 0, 1, 2], dtype=np.int64)
    cube = rng.standard_normal((3, 2, 2)).astype(np.float32)
    tensors = collections.OrderedDict([
        ('f32', ('F32', x.shape, x.astype('<f4').tobytes())),
        ('f16', ('F16', x.shape, x.astype('<f2').tobytes())),
        ('bf16', ('BF16', x.shape, bf16.view(torch.int16).numpy().astype('<i2').tobytes())),
        ('f64', ('F64', x.shape, x.astype('<f8').tobytes())),
        ('labels', ('I64', labels.shape, labels.astype('<i8').tobytes())),
        ('cube', ('F32', cube.shape, cube.astype('<f4').tobytes())),
    ])
    safetensors_file('tensors.safetensors', tensors)
    record('tensors.safetensors', 'safetensors', [
        ('f32', x, 'float32'), ('f16', x.astype(np.float16), 'float16'),
        ('bf16', bf16.to(torch.float32).numpy(), 'bfloat16'), ('f64', x.astype(np.float64), 'float64'),
        ('labels', labels, 'int64'), ('cube', cube.reshape(3, 4), 'float32'),
    ])
    expected['tensors.safetensors']['arrays'][5]['shape'] = [3, 2, 2]


def loadtxt_f32(name, **kw):
    return np.loadtxt(path(name), ndmin=1, **kw)


def text_fixtures():
    x = matrix(9, 4).astype(np.float64)
    np.savetxt(path('savetxt_space.txt'), x)  # '%.18e', space-separated
    record('savetxt_space.txt', 'text', [('', loadtxt_f32('savetxt_space.txt'), 'float64')])
    np.savetxt(path('savetxt_comma.csv'), x, delimiter=',')
    record('savetxt_comma.csv', 'text', [('', loadtxt_f32('savetxt_comma.csv', delimiter=','), 'float64')])
    np.savetxt(path('savetxt_tab.tsv'), x, delimiter='\t', fmt='%.6g')
    record('savetxt_tab.tsv', 'text', [('', loadtxt_f32('savetxt_tab.tsv', delimiter='\t'), 'float64')])
    np.savetxt(path('savetxt_comment_header.txt'), x, header='embeddings from run 7\nsecond comment line')
    record('savetxt_comment_header.txt', 'text', [('', loadtxt_f32('savetxt_comment_header.txt'), 'float64')])
    labels = rng.integers(0, 3, size=9)
    np.savetxt(path('labels.txt'), labels, fmt='%d')
    record('labels.txt', 'text', [('', loadtxt_f32('labels.txt'), 'float64')])

    # a header row names the columns; 'label' becomes its own array
    names = ['dim_0', 'dim_1', 'dim_é', 'dim_3', 'label']
    table = np.column_stack([x, labels])
    np.savetxt(path('header.csv'), table, delimiter=',', header=','.join(names), comments='', fmt=['%.7f'] * 4 + ['%d'])
    data = np.loadtxt(path('header.csv'), delimiter=',', skiprows=1, encoding='utf-8')
    record('header.csv', 'text', [('', data[:, :4], 'float64'), ('label', data[:, 4], 'float64')])

    # CRLF line endings, nan/inf spellings and no final newline
    rows = ['1.5,2,-3e-2', 'nan,inf,-inf', '0.25,NaN,-Infinity']
    with open(path('crlf_nan_inf.csv'), 'wb') as f:
        f.write('\r\n'.join(rows).encode())
    record('crlf_nan_inf.csv', 'text', [('', np.loadtxt(path('crlf_nan_inf.csv'), delimiter=',', converters=float, encoding='utf-8'), 'float64')])

    big = (rng.standard_normal((2000, 6)) * 1000).round(3)
    np.savetxt(path('rows_2000.csv'), big, delimiter=',', fmt='%.3f')
    record('rows_2000.csv', 'text', [('', loadtxt_f32('rows_2000.csv', delimiter=','), 'float64')])


def parquet_specs():
    """Values for scripts/make_parquet_fixtures.mjs (no pyarrow here): NumPy makes them, node writes them."""
    emb = matrix(10, 4)
    labels = rng.integers(0, 3, size=10).astype(np.int32)
    expected['list_column.parquet'] = {
        'format': 'parquet',
        'columns': [
            {'name': 'embedding', 'type': 'FLOAT_LIST', 'data': [[float(v) for v in r] for r in emb]},
            {'name': 'label', 'type': 'INT32', 'data': [int(v) for v in labels]},
        ],
        'rowGroupSize': 4,
        'arrays': [],
    }
    record_into = expected['list_column.parquet']['arrays']
    record_into.append({'name': 'embedding', 'shape': [10, 4], 'dtype': 'float32', 'values': as_f32_rows(emb)})
    record_into.append({'name': 'label', 'shape': [10], 'dtype': 'int32', 'values': as_f32_rows(labels)})

    cols = rng.standard_normal((12, 3))
    ids = np.arange(100, 112, dtype=np.int64)
    cls = rng.integers(0, 2, size=12).astype(np.int32)
    expected['numeric_columns.parquet'] = {
        'format': 'parquet',
        'columns': [
            {'name': 'a', 'type': 'DOUBLE', 'data': [float(v) for v in cols[:, 0]]},
            {'name': 'b', 'type': 'DOUBLE', 'data': [float(v) for v in cols[:, 1]]},
            {'name': 'c', 'type': 'DOUBLE', 'data': [float(v) for v in cols[:, 2]]},
            {'name': 'id', 'type': 'INT64', 'data': [int(v) for v in ids]},
            {'name': 'word', 'type': 'STRING', 'data': [f'w{i}' for i in range(12)]},
            {'name': 'target', 'type': 'INT32', 'data': [int(v) for v in cls]},
        ],
        'rowGroupSize': 5,
        'arrays': [
            {'name': '(numeric columns)', 'shape': [12, 4], 'dtype': 'float64',
             'values': as_f32_rows(np.column_stack([cols, ids]))},
            {'name': 'id', 'shape': [12], 'dtype': 'int64', 'values': as_f32_rows(ids)},
            {'name': 'target', 'shape': [12], 'dtype': 'int32', 'values': as_f32_rows(cls)},
            {'name': 'word', 'unusable': 'unsupported-dtype'},
        ],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    npy_fixtures()
    npz_fixtures()
    torch_fixtures()
    safetensors_fixtures()
    text_fixtures()
    parquet_specs()
    with open(path('expected.json'), 'w') as f:
        # one fixture per line: compact, yet a regenerated file diffs per fixture
        lines = [f'{json.dumps(k)}: {json.dumps(v, separators=(",", ":"), allow_nan=False)}' for k, v in expected.items()]
        f.write('{\n' + ',\n'.join(lines) + '\n}\n')
    total = sum(os.path.getsize(path(n)) for n in os.listdir(OUT))
    print(f'wrote {len(expected)} fixtures to {OUT} ({total} bytes)')


if __name__ == '__main__':
    main()
