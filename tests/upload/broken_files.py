"""A corpus of broken upload files, each breaking exactly one rule, with the expected finding."""

from __future__ import annotations

from broken_builders import (
    declared_huge,
    duplicate_column,
    extra_fields,
    header_only,
    highly_compressible,
    lying_sizes,
    plain_zip,
    survey_as_courses,
    whole_file_in,
    with_dimension,
)
from broken_case import Case, cell, structural, xlsx_cell
from hostile_cases import hostile_cases
from upload_files import (
    CVRS,
    DIALECTS,
    good_rows,
    render_csv,
    render_xlsx,
)

from expectations.schema import Kind

F, B, K, A = Kind.FORLOEB, Kind.BRUGEREVALUERING, Kind.KENDSKAB, Kind.INDSATSER
SF = next(d for d in DIALECTS if d.salesforce)


def cases() -> list[Case]:
    dup = good_rows(F)[0]["forloeb_id"]
    return [
        # forløb
        cell("forloeb_id_dublet", F, 2, "forloeb_id", dup, "forloeb_id.unik", "Forløb ID"),
        cell(
            "forloeb_id_findes_i_anden_batch",
            F,
            1,
            "forloeb_id",
            "F999",
            "forloeb_id.findes_allerede",
            "Forløb ID",
            existing_ids=frozenset({"F999"}),
        ),
        cell("forloeb_id_tom", F, 3, "forloeb_id", None, "forloeb_id.udfyldt", "Forløb ID"),
        cell(
            "cvr_forkert_kontrolciffer", F, 1, "cvr", str(int(CVRS[1]) + 1), "cvr.modulus11", "CVR"
        ),
        cell("cvr_7_cifre", F, 0, "cvr", "1000000", "cvr.modulus11", "CVR"),
        cell(
            "cvr_med_bogstaver_salesforce",
            F,
            4,
            "cvr",
            "DK123456",
            "cvr.modulus11",
            "CVR",
            dialect=SF,
        ),
        cell("cvr_tom", F, 2, "cvr", None, "cvr.udfyldt", "CVR"),
        cell("kommunekode_101", F, 0, "kommunekode", 101, "kommunekode.kommune", "Kommunekode"),
        cell(
            "kommunekode_tekst", F, 1, "kommunekode", "Aalborg", "kommunekode.heltal", "Kommunekode"
        ),
        cell("kategori_ukendt", F, 2, "kategori", "Langt forløb", "kategori.værdi", "Kategori"),
        cell("kategori_tom", F, 2, "kategori", None, "kategori.udfyldt", "Kategori"),
        cell("fagomraade_ukendt", F, 3, "fagomraade", "Sport", "fagomraade.værdi", "Fagområde"),
        cell(
            "startdato_uden_for_perioden",
            F,
            1,
            "startdato",
            "30-06-2022",
            "startdato.periode",
            "Startdato",
        ),
        cell(
            "startdato_ugyldig_dato", F, 0, "startdato", "31-02-2022", "startdato.dato", "Startdato"
        ),
        cell("startdato_tekst", F, 0, "startdato", "i går", "startdato.dato", "Startdato"),
        cell("startdato_tocifret_aar", F, 4, "startdato", "1-7-22", "startdato.dato", "Startdato"),
        cell(
            "slutdato_foer_startdato",
            F,
            3,
            "slutdato",
            "31-08-2022",
            "slutdato.efter_start",
            "Slutdato",
        ),
        cell(
            "henvist_til_ekstern_maaske",
            F,
            2,
            "henvist_til_ekstern",
            "Måske",
            "henvist_til_ekstern.ja_nej",
            "Henvist til ekstern",
        ),
        cell(
            "henvist_til_ekstern_tom",
            F,
            2,
            "henvist_til_ekstern",
            None,
            "henvist_til_ekstern.udfyldt",
            "Henvist til ekstern",
        ),
        xlsx_cell(
            "xlsx_cvr_tal_forkert", F, 2, "cvr", 12345678, "cvr.modulus11", "CVR", "12345678"
        ),
        # brugerevaluering
        cell("anbefaling_11", B, 0, "anbefaling", 11, "anbefaling.interval", "Anbefaling 0-10"),
        cell(
            "anbefaling_minus_1", B, 1, "anbefaling", -1, "anbefaling.interval", "Anbefaling 0-10"
        ),
        cell("anbefaling_7_5", B, 1, "anbefaling", "7,5", "anbefaling.heltal", "Anbefaling 0-10"),
        xlsx_cell(
            "xlsx_anbefaling_7_5",
            B,
            1,
            "anbefaling",
            7.5,
            "anbefaling.heltal",
            "Anbefaling 0-10",
            "7.5",
        ),
        cell("segment_andet", B, 2, "segment", "Andet", "segment.værdi", "Segment"),
        cell(
            "tilfredshed_super",
            B,
            3,
            "tilfredshed",
            "Super",
            "tilfredshed.værdi",
            "Tilfredshed med kompetencer",
        ),
        cell(
            "forventet_effekt_ukendt",
            B,
            0,
            "forventet_effekt",
            "Meget",
            "forventet_effekt.værdi",
            "Forventet effekt",
        ),
        cell(
            "benyttet_ja_naar_modtaget_nej",
            B,
            2,
            "benyttet_henvisning",
            True,
            "benyttet_henvisning.kun_ved_ja",
            "Benyttet henvisning",
            text="Ja",
        ),
        cell(
            "besvarelsesdato_uden_for_perioden",
            B,
            4,
            "besvarelsesdato",
            "2022-10-01",
            "besvarelsesdato.periode",
            "Besvarelsesdato",
        ),
        cell(
            "digitaliseringsvejledning_tom",
            B,
            5,
            "digitaliseringsvejledning",
            None,
            "digitaliseringsvejledning.udfyldt",
            "Digitaliseringsvejledning",
        ),
        cell(
            "modtaget_henvisning_maaske",
            B,
            0,
            "modtaget_henvisning",
            "Måske",
            "modtaget_henvisning.ja_nej",
            "Modtaget henvisning",
        ),
        cell("svar_id_dublet", B, 5, "svar_id", "S001", "svar_id.unik", "Svar ID"),
        cell(
            "segment_tom_salesforce",
            B,
            1,
            "segment",
            None,
            "segment.udfyldt",
            "Segment",
            dialect=SF,
        ),
        # kendskab
        cell(
            "groen_ja_naar_kender_nej",
            K,
            2,
            "kender_groenne_ydelser",
            True,
            "kender_groenne_ydelser.kun_ved_ja",
            "Kender grønne ydelser",
            text="Ja",
        ),
        cell("vaegt_0", K, 0, "vaegt", "0", "vaegt.positiv", "Vægt"),
        cell("vaegt_minus_1", K, 1, "vaegt", "-1", "vaegt.positiv", "Vægt"),
        cell("vaegt_tekst", K, 1, "vaegt", "høj", "vaegt.tal", "Vægt"),
        cell("maaleaar_forkert", K, 3, "maaleaar", 2021, "maaleaar.periode", "Måleår"),
        cell(
            "kender_erhvervshuset_maaske",
            K,
            4,
            "kender_erhvervshuset",
            "Måske",
            "kender_erhvervshuset.ja_nej",
            "Kender Erhvervshuset",
        ),
        cell(
            "respondent_id_findes_i_anden_batch",
            K,
            0,
            "respondent_id",
            "R1",
            "respondent_id.findes_allerede",
            "Respondent ID",
            existing_ids=frozenset({"R1"}),
        ),
        # indsatser
        cell("indsats_ukendt", A, 1, "indsats_id", "m8_z", "indsats_id.kendt", "Indsats"),
        cell("indsats_status_forkert", A, 2, "status", "Færdig", "status.værdi", "Status"),
        cell("indsats_dato_forkert", A, 0, "dato", "2022-02-30", "dato.dato", "Dato"),
        cell("indsats_maal_tekst", A, 3, "maal", "fem", "maal.heltal", "Mål"),
        # the whole file
        structural("tom_fil", F, b"", "fil.tom"),
        structural("kun_blanke_linjer", F, b"\n \r\n;;;\n", "fil.tom"),
        structural("kun_overskrift", F, header_only(F), "fil.ingen_data"),
        structural("kun_overskrift_salesforce", B, header_only(B, SF), "fil.ingen_data"),
        structural("binaert_skrald", F, bytes(range(256)) * 4, "fil.ulæselig"),
        structural("brugerevaluering_som_forloeb", F, survey_as_courses(), "fil.forkert_type"),
        structural(
            "brugerevaluering_som_forloeb_mangler",
            F,
            survey_as_courses(),
            "kolonne.mangler",
            column="Forløb ID",
            row=1,
        ),
        structural("ingen_overskrift", F, b"a;b;c\n1;2;3\n", "fil.ingen_overskrift"),
        Case(
            "forkert_periode",
            F,
            whole_file_in(F, 2021),
            "startdato.periode",
            row=2,
            column="Startdato",
            value="01-07-2021",
        ),
        structural(
            "xlsx_afkortet",
            F,
            render_xlsx(F, good_rows(F))[:3000],
            "fil.ulæselig",
            filename="upload.xlsx",
        ),
        structural(
            "xlsx_zipbombe_komprimering",
            F,
            highly_compressible(),
            "fil.ulæselig",
            filename="upload.xlsx",
        ),
        structural(
            "xlsx_zipbombe_erklaeret_stoerrelse",
            F,
            declared_huge(),
            "fil.ulæselig",
            filename="upload.xlsx",
        ),
        structural(
            "xlsx_loegn_om_stoerrelse", F, lying_sizes(), "fil.ulæselig", filename="upload.xlsx"
        ),
        structural(
            "csv_kaldt_xlsx", F, render_csv(F, good_rows(F)), "fil.ulæselig", filename="upload.xlsx"
        ),
        structural("zip_uden_workbook", F, plain_zip(), "fil.ulæselig", filename="upload.xlsx"),
        structural(
            "xlsx_dimension_for_mange_raekker",
            F,
            with_dimension("A1:J1000001"),
            "fil.for_stor",
            filename="upload.xlsx",
        ),
        structural(
            "xlsx_dimension_for_mange_kolonner",
            F,
            with_dimension("A1:ZZ7"),
            "fil.for_stor",
            filename="upload.xlsx",
        ),
        structural(
            "gammel_xls",
            F,
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "fil.ulæselig",
            filename="upload.xls",
        ),
        structural(
            "ukendt_kolonne",
            F,
            render_csv(F, good_rows(F), extra=["Foo"]),
            "kolonne.ukendt",
            column="Foo",
            row=1,
        ),
        structural(
            "manglende_kolonne",
            F,
            render_csv(F, good_rows(F), drop=["kategori"]),
            "kolonne.mangler",
            column="Kategori",
            row=1,
        ),
        structural("dublet_kolonne", F, duplicate_column(), "kolonne.dublet", column="CVR", row=1),
        structural("for_mange_felter", F, extra_fields(), "række.for_mange_felter", row=4),
        *hostile_cases(),
    ]
