"""Hot spots: segmentation, fingerprints (and their stored form), LSH band keys, similarity,
keywords."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from routing.hotspots.similarity import (
    BANDS,
    NUM_PERM,
    PACKED_SIZE,
    TextPrint,
    band_keys,
    fingerprint,
    keywords,
    text_similarity,
)
from routing.hotspots.text import concepts, terms

BBQ = "长河路88号楼下烧烤摊油烟扰民，每天晚上烟熏火燎到凌晨，希望尽快处理"
BBQ_AGAIN = "楼下夜市烤串冒烟到半夜，窗户都不敢开"
BATTERY = "小区车棚里的电动车电瓶被偷了"
INT64 = (-(2**63), 2**63 - 1)


def test_terms_drop_punctuation_stop_words_and_complaint_boilerplate() -> None:
    words = terms("我要投诉！楼下的烧烤摊，希望尽快处理。")
    assert "烧烤" in words
    for noise in ("我", "投诉", "的", "希望", "尽快", "处理", "！", "，", "。"):
        assert noise not in words


def test_paraphrases_name_the_same_concepts() -> None:
    assert {"bbq", "smoke", "night"} <= concepts(BBQ) & concepts(BBQ_AGAIN)
    assert "bbq" not in concepts(BATTERY)


def test_a_fingerprint_has_num_perm_unsigned_32_bit_values() -> None:
    fp = fingerprint(BBQ)
    assert len(fp.hashvalues) == NUM_PERM
    assert all(0 <= v < 2**32 and isinstance(v, int) for v in fp.hashvalues)


def test_a_fingerprint_is_stored_in_512_bytes_in_network_order_and_read_back_whole() -> None:
    fp = fingerprint(BBQ)
    packed = fp.packed()
    assert len(packed) == PACKED_SIZE == 512
    assert packed[:4] == fp.hashvalues[0].to_bytes(4, "big")
    back = TextPrint.unpack(fp.terms, packed)
    assert back.hashvalues == fp.hashvalues and back.terms == fp.terms
    assert text_similarity(back, fp) == 1.0
    assert band_keys(back) == band_keys(fp)


def test_a_fingerprint_of_the_wrong_size_or_range_is_refused() -> None:
    with pytest.raises(ValueError, match="512 bytes"):
        TextPrint.unpack(("x",), b"\x00" * 511)
    with pytest.raises(ValueError, match="128 unsigned 32-bit"):
        TextPrint.of(("x",), (1,) * (NUM_PERM - 1))
    with pytest.raises(ValueError, match="128 unsigned 32-bit"):
        TextPrint.of(("x",), (2**32,) * NUM_PERM)
    with pytest.raises(ValueError, match="128 unsigned 32-bit"):
        TextPrint.of(("x",), (-1,) * NUM_PERM)


def test_fingerprints_and_band_keys_are_the_same_in_another_process() -> None:
    code = (
        "import json, sys; from routing.hotspots.similarity import fingerprint, band_keys; "
        "fp = fingerprint(sys.argv[1]); "
        "print(json.dumps([list(fp.terms), list(fp.hashvalues), band_keys(fp)]))"
    )
    out = subprocess.run([sys.executable, "-c", code, BBQ], capture_output=True, text=True, check=True).stdout
    fp = fingerprint(BBQ)
    assert json.loads(out) == [list(fp.terms), list(fp.hashvalues), band_keys(fp)]


def test_band_keys_are_signed_64_bit_one_per_band() -> None:
    keys = band_keys(fingerprint(BBQ))
    assert len(keys) == BANDS
    assert all(INT64[0] <= k <= INT64[1] for k in keys)
    assert keys == band_keys(fingerprint(BBQ))


def test_the_band_index_is_mixed_in_so_equal_rows_in_two_bands_give_two_keys() -> None:
    flat = TextPrint.of(("x",), (7,) * NUM_PERM)
    assert len(set(band_keys(flat))) == BANDS


def test_same_matter_texts_share_a_band_key_and_different_matters_do_not() -> None:
    bbq, again, battery = (fingerprint(t) for t in (BBQ, BBQ_AGAIN, BATTERY))
    assert set(band_keys(bbq)) & set(band_keys(again))
    assert not set(band_keys(bbq)) & set(band_keys(battery))


def test_similarity_is_one_for_the_same_text_symmetric_and_low_for_other_matters() -> None:
    bbq, again, battery = (fingerprint(t) for t in (BBQ, BBQ_AGAIN, BATTERY))
    assert text_similarity(bbq, bbq) == 1.0
    assert text_similarity(bbq, again) == text_similarity(again, bbq)
    assert text_similarity(bbq, again) > text_similarity(bbq, battery)
    assert text_similarity(bbq, battery) < 0.1


def test_a_text_without_content_has_no_keys_and_matches_nothing() -> None:
    empty = fingerprint("！！！。。。 请尽快处理")
    assert empty.terms == ()
    assert band_keys(empty) == []
    assert text_similarity(empty, empty) == 0.0


def test_keywords_are_the_terms_most_texts_share() -> None:
    prints = [fingerprint(t) for t in ("烧烤摊油烟太大", "烧烤摊半夜油烟", "烧烤的油烟呛人")]
    top = keywords([p.terms for p in prints], limit=2)
    assert top == ["烧烤", "油烟"]  # both in all three; ties go to the first seen
    assert keywords([], limit=3) == []


def test_a_prints_values_cannot_be_changed_in_place() -> None:
    for fp in (fingerprint(BBQ), fingerprint(""), TextPrint.of(("x",), (7,) * NUM_PERM)):
        with pytest.raises(ValueError, match="read-only"):
            fp.values[0] = 1


def test_the_tables_length_check_is_the_packed_size() -> None:
    from routing.hotspots.tables import HotspotSightingRow

    checks = [str(c.sqltext) for c in HotspotSightingRow.__table__.c.hashvalues.constraints]  # type: ignore[attr-defined]
    assert checks == [f"octet_length(hashvalues) = {PACKED_SIZE}"]
