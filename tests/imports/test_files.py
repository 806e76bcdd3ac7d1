"""Reading uploaded CSV text and unpacking zips: encodings, binary files, traversal, bombs."""

import stat
import zipfile

import pytest

from pen.imports import textfiles, zips

LIMITS = zips.Limits(max_entries=10, max_total=5 * 2**20, max_ratio=100)


def test_utf8_with_and_without_mark_and_utf16_with_and_without_mark_are_read():
    text = "name,email\nJosé Nuñez,jose@example.org\n陈静,chen@example.org\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16"),
                 text.encode("utf-16-le"), text.encode("utf-16-be")):
        assert textfiles.decode(data) == text


def test_latin1_is_refused_naming_the_lines_that_are_not_utf8():
    data = "name,email\nAna,ana@example.org\nJosé,jose@example.org\nRenée,r@example.org\n"
    with pytest.raises(textfiles.Refused) as refused:
        textfiles.decode(data.encode("latin-1"))
    assert "not in UTF-8" in str(refused.value.message)
    assert "Line(s) not in UTF-8: 3, 4." in str(refused.value.message)


def test_a_binary_file_is_refused_as_not_text():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    with pytest.raises(textfiles.Refused) as refused:
        textfiles.decode(png)
    assert "not a text file" in str(refused.value.message)


def test_more_lines_than_the_limit_are_refused_before_parsing():
    text = "name,email\n" + "".join(f"M{i},m{i}@example.org\n" for i in range(100_000))
    textfiles.check_lines(text, 100_000)
    with pytest.raises(textfiles.Refused) as refused:
        textfiles.check_lines(text, 10_000)
    assert "100,001 lines" in str(refused.value.message)


def make_zip(tmp_path, entries, name="upload.zip"):
    """A zip of (name, bytes) entries, deflated."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries:
            archive.writestr(entry, data)
    return path


@pytest.mark.parametrize("entry", ["../x.pdf", "docs/../../x.pdf", "/etc/x.pdf",
                                   "C:/x.pdf", "..\\x.pdf"])
def test_a_zip_naming_a_path_outside_its_folder_is_refused(tmp_path, entry):
    path = make_zip(tmp_path, [("metadata.csv", b"file\n"), (entry, b"x")])
    with pytest.raises(textfiles.Refused) as refused:
        zips.unpack(path, tmp_path / "out", LIMITS)
    assert "outside its own folder" in str(refused.value.message)
    assert not (tmp_path / "out").exists() and not (tmp_path / "x.pdf").exists()


def test_a_zip_holding_a_link_is_refused(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("evil")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(textfiles.Refused, match="link"):
        zips.check(path, LIMITS)


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    path = make_zip(tmp_path, [("bomb.txt", b"\0" * (4 * 2**20))])
    with pytest.raises(textfiles.Refused) as refused:
        zips.check(path, LIMITS)
    assert "zip bomb" in str(refused.value.message)


def test_a_zip_declaring_more_than_the_limit_is_refused(tmp_path):
    path = make_zip(tmp_path, [(f"f{i}.bin", bytes(range(256)) * 4096 * 2) for i in range(4)])
    with pytest.raises(textfiles.Refused, match="more than 5 MB"):
        zips.check(path, LIMITS)


def test_a_zip_with_too_many_entries_is_refused(tmp_path):
    path = make_zip(tmp_path, [(f"f{i}.txt", b"x") for i in range(11)])
    with pytest.raises(textfiles.Refused, match="11 entries"):
        zips.check(path, LIMITS)


def test_a_zip_lying_about_its_sizes_is_stopped_while_unpacking(tmp_path):
    """The declared size says 1 KB; the entry inflates to 3 MB: unpacking stops there."""
    real = make_zip(tmp_path, [("big.txt", b"a" * (3 * 2**20))], "real.zip")
    data = bytearray(real.read_bytes())
    _patch_sizes(data, 3 * 2**20, 1024)
    liar = tmp_path / "liar.zip"
    liar.write_bytes(bytes(data))
    with pytest.raises(textfiles.Refused):
        zips.unpack(liar, tmp_path / "out", zips.Limits(max_total=2 * 2**20))
    written = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written <= 2 * 2**20


def _patch_sizes(data: bytearray, real: int, claimed: int) -> None:
    """Rewrite every uncompressed-size field holding ``real`` to ``claimed``."""
    needle, replacement = real.to_bytes(4, "little"), claimed.to_bytes(4, "little")
    data[:] = data.replace(needle, replacement)


def test_a_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(textfiles.Refused, match="damaged"):
        zips.check(path, LIMITS)
