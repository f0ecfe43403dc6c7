"""Text bytes in legacy encodings are read in a guessed encoding that the document names;
damaged UTF-8 keeps its text with the bad bytes replaced and counted; strict refuses both;
UTF-16 without a byte-order mark and binary data are refused whatever is asked."""
import pytest

from filterkit import Filter, InputError
from filterkit.read import to_document
from filterkit.read.encoding import decode_text

FRENCH = (
    "Le conseil municipal a voté mardi soir un budget de rénovation des écoles primaires, une "
    "décision très attendue par les parents d'élèves. « C'est une étape importante », a déclaré "
    "la maire, qui a souligné que les travaux débuteraient dès l'été prochain.\n"
    "Les opposants regrettent toutefois un calendrier trop serré et des coûts sous-estimés, "
    "notamment pour la cantine et le gymnase, où l'on a même parlé d'une « naïveté » budgétaire. "
    "Le préfet doit rendre son avis avant la fin du trimestre.\n"
)
JAPANESE = (
    "市議会は火曜日の夜、小学校の改修予算を可決した。保護者が長く待ち望んでいた決定である。\n"
    "市長は「重要な一歩だ」と述べ、工事は来年の夏に始まると強調した。一方で反対派は、日程が厳しすぎることや、"
    "給食室と体育館の費用が過小評価されていることを懸念している。\n"
)
CHINESE = (
    "市议会周二晚上通过了小学翻修预算，这是家长们期待已久的决定。\n"
    "市长表示：“这是重要的一步。”她强调工程将于明年夏天开始。然而反对者担心时间表过于紧张，"
    "食堂和体育馆的费用被低估，部分议员要求重新审议合同。\n"
)
RUSSIAN = (
    "Городской совет во вторник вечером утвердил бюджет на ремонт начальных школ. Родители давно "
    "ждали этого решения.\n"
    "\"Это важный шаг\", - заявила мэр города, подчеркнув, что работы начнутся следующим летом. "
    "Противники, однако, считают график слишком жёстким, а расходы на столовую и спортзал заниженными.\n"
)
UTF8_ARTICLE = (
    "The café on Rue Saint-Honoré reopened on Tuesday after a two-year renovation, its owner said.\n"
    "“We kept the zinc bar and the mosaic floor,” she told reporters; the menu — crêpes, "
    "croque-monsieur and a plat du jour — is unchanged, and prices rose by about 5 %.\n"
)


@pytest.mark.parametrize("text, codec", [(FRENCH, "cp1252"), (FRENCH, "latin-1"), (JAPANESE, "shift_jis"),
                                         (CHINESE, "gb2312"), (RUSSIAN, "koi8-r")])
def test_a_legacy_encoding_is_guessed_and_named(text, codec):
    data = text.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    decoded = decode_text(data)
    assert decoded.text == text and decoded.guessed and decoded.replaced == 0
    document = to_document(data)
    assert document.texts == to_document(text).texts
    assert document.metadata["encoding"] == decoded.encoding and document.metadata["encoding_guessed"]


def test_windows_1252_is_preferred_over_the_windows_1250_detectors_rank_first():
    assert decode_text(FRENCH.encode("cp1252")).encoding == "cp1252"  # 'très' would read 'trčs'


def test_strict_encoding_refuses_a_legacy_encoding_with_how_to_convert():
    data = FRENCH.encode("cp1252")
    with pytest.raises(InputError, match=r"not valid UTF-8.*iconv -f CP1252 -t UTF-8"):
        to_document(data, strict_encoding=True)
    with pytest.raises(InputError, match="not valid UTF-8"):
        Filter(strict_encoding=True).classify(data)


def test_utf8_with_two_bad_bytes_keeps_its_text_and_counts_them():
    good = UTF8_ARTICLE.encode("utf-8")
    middle = good.index(b"reporters")
    data = good[:middle] + b"\xff" + good[middle:middle + 4] + b"\xc3" + good[middle + 4:]
    decoded = decode_text(data)
    assert (decoded.encoding, decoded.guessed, decoded.replaced) == ("utf-8", False, 2)
    assert decoded.text == UTF8_ARTICLE.replace("reporters", "\ufffdrepo\ufffdrters")
    document = to_document(data)
    assert document.metadata == {"encoding": "utf-8", "replaced_bytes": 2}
    assert "“We kept the zinc bar" in document.texts[1]  # the line with the bad bytes is kept
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte"):
        to_document(data, strict_encoding=True)


def test_utf8_cut_mid_character_is_read_with_the_cut_character_replaced():
    data = UTF8_ARTICLE.encode("utf-8") + "é".encode()[:1]
    decoded = decode_text(data)
    assert (decoded.encoding, decoded.replaced) == ("utf-8", 1) and decoded.text.endswith("\ufffd")
    ascii_cut = decode_text(b"Plain ASCII text, its last character cut in half: \xe2\x80")
    assert (ascii_cut.encoding, ascii_cut.guessed, ascii_cut.replaced) == ("utf-8", False, 2)


def test_valid_utf8_is_read_as_it_is_and_says_so():
    document = to_document(UTF8_ARTICLE.encode("utf-8"))
    assert document.metadata == {"encoding": "utf-8"}
    assert document.texts == to_document(UTF8_ARTICLE).texts


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00\x00\x00\x01\x80\x08\x06\x00\x00\x00\xe4\xb5\xb7" * 40,
    bytes(range(256)) * 16,
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2lZ\x01\x00\x00 \x05\x00\x00" * 30,
], ids=["png", "all bytes", "zip"])
@pytest.mark.parametrize("strict", [False, True])
def test_binary_data_is_refused(data, strict):
    with pytest.raises(InputError, match="not valid UTF-8"):
        to_document(data, "text", strict_encoding=strict)


def test_utf16_without_a_byte_order_mark_is_still_refused_with_iconv_advice():
    with pytest.raises(InputError, match="UTF-16LE without a byte-order mark.*iconv -f UTF-16LE"):
        to_document(FRENCH.encode("utf-16-le"))
