"""A minimal writer of legacy Excel .xls files (BIFF8 in an OLE2 compound file), for tests only.

No .xls writer is installable here (xlwt is gone, LibreOffice is not on the machine), so the
tests write their own: one worksheet of text (shared strings) and number cells, which is what
a bureau's old roster holds. It follows [MS-XLS] and [MS-CFB]; python-calamine reads it.
"""

import struct

_SECTOR = 512
_END_OF_CHAIN = 0xFFFFFFFE
_FAT_SECTOR = 0xFFFFFFFD
_FREE = 0xFFFFFFFF
_NO_STREAM = 0xFFFFFFFF
# Streams under 4096 bytes would live in the mini stream, which this writer does not build.
_MINI_STREAM_CUTOFF = 4096


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(substream: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 0x06))


def _unicode(text: str, length_bytes: int = 2) -> bytes:
    encoded = text.encode("utf-16-le")
    count = struct.pack("<H", len(text)) if length_bytes == 2 else struct.pack("<B", len(text))
    return count + b"\x01" + encoded


def _font() -> bytes:
    return _record(
        0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _unicode("Arial", 1)
    )


def _xf(style: bool) -> bytes:
    # Font 0, format 0 (General); a style XF (for the first 16) or a cell XF.
    kind = 0xFFF5 if style else 0x0001
    return _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, kind, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def workbook(rows: list[list], sheet_name: str = "Sheet1") -> bytes:
    """An .xls file whose first worksheet holds `rows` (str, int or float cells; None is empty)."""
    strings: list[str] = []
    index: dict[str, int] = {}
    cells = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                if value not in index:
                    index[value] = len(strings)
                    strings.append(value)
                cells.append(_record(0x00FD, struct.pack("<HHHI", r, c, 15, index[value])))
            else:
                cells.append(_record(0x0203, struct.pack("<HHHd", r, c, 15, float(value))))
    width = max((len(row) for row in rows), default=0)
    sheet = (
        _bof(0x0010)
        + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        + b"".join(cells)
        + _record(0x000A, b"")
    )
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(_unicode(s) for s in strings)
    if len(sst) > 8224:
        raise ValueError("This test writer keeps the shared strings in one record: fewer, shorter strings.")

    def globals_(sheet_offset: int) -> bytes:
        return (
            _bof(0x0005)
            + _record(0x0042, struct.pack("<H", 1200))
            + _font()
            + b"".join(_xf(style=True) for _ in range(15))
            + _xf(style=False)
            + _record(0x0085, struct.pack("<IBB", sheet_offset, 0, 0) + _unicode(sheet_name, 1))
            + _record(0x00FC, sst)
            + _record(0x000A, b"")
        )

    head = globals_(0)
    stream = globals_(len(head)) + sheet
    stream += b"\x00" * max(0, _MINI_STREAM_CUTOFF - len(stream))
    return _compound_file(stream)


def _compound_file(stream: bytes) -> bytes:
    stream_sectors = -(-len(stream) // _SECTOR)
    padded = stream + b"\x00" * (stream_sectors * _SECTOR - len(stream))
    # Sector 0: the FAT; 1..n: the Workbook stream; n+1: the directory.
    directory_sector = 1 + stream_sectors
    if directory_sector + 1 > _SECTOR // 4:
        raise ValueError("This test writer keeps the FAT in one sector: a smaller workbook.")
    fat = [_FAT_SECTOR]
    fat += [sector + 1 for sector in range(1, stream_sectors)] + [_END_OF_CHAIN]
    fat += [_END_OF_CHAIN]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack(
            "<IIIIIIIII", 0, 1, directory_sector, 0, _MINI_STREAM_CUTOFF, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0
        )
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    directory = (
        _entry("Root Entry", 5, child=1, start=_END_OF_CHAIN, size=0)
        + _entry("Workbook", 2, child=_NO_STREAM, start=1, size=len(stream))
        + _empty_entry() * 2
    )
    return header + struct.pack("<128I", *fat) + padded + directory


def _entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _NO_STREAM, _NO_STREAM, child)
        + b"\x00" * 16
        + struct.pack("<I", 0)
        + b"\x00" * 16
        + struct.pack("<IQ", start, size)
    )


def _empty_entry() -> bytes:
    return (
        b"\x00" * 64
        + struct.pack("<HBB", 0, 0, 0)
        + struct.pack("<III", _NO_STREAM, _NO_STREAM, _NO_STREAM)
        + b"\x00" * 48
    )
