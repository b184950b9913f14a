"""Pinyin of one character from pypinyin's character table alone: the same reading as
pypinyin's `lazy_pinyin` for every CJK character, without loading its phrase table."""

import subprocess
import sys

from pypinyin import Style, lazy_pinyin

from tui_crm.services.core.text import _char_pinyin, name_pinyin

BLOCKS = [range(0x4E00, 0xA000), range(0x3400, 0x4DC0)]


def test_every_character_reads_as_pypinyin_reads_it():
    differ = []
    for block in BLOCKS:
        for code in block:
            ch = chr(code)
            expected = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
            if _char_pinyin(ch) != (expected[0] if expected else ""):
                differ.append(ch)
    assert differ == []
    assert [_char_pinyin(c) for c in "绿女曾"] == ["lv", "nv", "ceng"]


def test_names_get_pinyin_without_importing_pypinyin():
    script = (
        "import sys\n"
        "from tui_crm.services.core.text import name_pinyin\n"
        "print(name_pinyin('吕绿华'), 'pypinyin' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "('lvlvhua', 'llh') False", done.stderr
    assert name_pinyin("吕绿华") == ("lvlvhua", "llh")
