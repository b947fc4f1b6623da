"""The cadre roster as a spreadsheet: the list's columns, masked for the user, and the roster
import's own layout, which imports again.

The list's column list lives in `roster_columns` alone. The roster for re-import is laid out by
imports.specs.CADRE_ROSTER, the columns the import reads.
"""

from collections.abc import Callable

from cadres.models import Cadre
from core.exports import CHUNK, column_table, field_label, yes_no
from core.masking import mask_id_number, mask_phone
from imports.specs import CADRE_ROSTER
from imports.workbook import roster_workbook

_ROSTER_PHONE = [column.field for column in CADRE_ROSTER.columns].index("phone")

# The branch page's member table shows these of the roster's columns.
MEMBER_COLUMNS = ("name", "sex", "birth_date", "retirement_type", "party_join_date", "phone")


def roster_columns(*, user) -> list[tuple[str, str, Callable[[Cadre], object]]]:
    """(key, header, value of a cadre) for each roster column, in order, masked for `user`.

    ID numbers are masked for everyone, as on every list: a full one is shown only on a
    cadre's own page, on request, and each time logged. Phones are whole for roles that may
    see personal details (a secretary, for their own branches' members) and masked for the
    rest. Health notes and emergency contacts are not exported at all.
    """
    full_phone = user.has_perm("cadres.view_sensitive_details")
    return [
        ("name", field_label(Cadre, "name"), lambda cadre: cadre.name),
        ("sex", field_label(Cadre, "sex"), lambda cadre: cadre.get_sex_display()),
        ("id_number", field_label(Cadre, "id_number"), lambda cadre: mask_id_number(cadre.id_number)),
        ("birth_date", field_label(Cadre, "birth_date"), lambda cadre: cadre.birth_date),
        (
            "retirement_type",
            field_label(Cadre, "retirement_type"),
            lambda cadre: cadre.get_retirement_type_display(),
        ),
        ("branch", field_label(Cadre, "branch"), lambda cadre: cadre.branch.name if cadre.branch_id else ""),
        ("area", field_label(Cadre, "area"), lambda cadre: cadre.area.name if cadre.area_id else ""),
        (
            "phone",
            field_label(Cadre, "phone"),
            lambda cadre: cadre.phone if full_phone else mask_phone(cadre.phone),
        ),
        ("party_join_date", field_label(Cadre, "party_join_date"), lambda cadre: cadre.party_join_date),
        (
            "special_hardship",
            field_label(Cadre, "special_hardship"),
            lambda cadre: yes_no(cadre.special_hardship),
        ),
        ("deceased_on", field_label(Cadre, "deceased_on"), lambda cadre: cadre.deceased_on),
    ]


def cadres_table(cadres, *, user, keys: tuple[str, ...] | None = None):
    """Headers and rows of `cadres` under the roster's columns, or only those named in `keys`."""
    columns = roster_columns(user=user)
    return column_table(
        cadres, [(header, value) for key, header, value in columns if keys is None or key in keys]
    )


def members_table(cadres, *, user):
    """A branch's members as its page lists them."""
    return cadres_table(cadres, user=user, keys=MEMBER_COLUMNS)


def roster_import_workbook(cadres, *, user) -> tuple[bytes, int]:
    """`cadres` as the .xlsx the roster import reads, and how many rows it holds.

    ID numbers are whole: this is the one export that can be uploaded again (the caller
    checks the permission and logs the download). Phones are whole only for roles that may
    see personal details, as in the list's export. `cadres` should come from
    cadres.selectors.cadre_roster, which loads every column's field in one query a chunk.
    """
    full_phone = user.has_perm("cadres.view_sensitive_details")
    count = 0

    def rows():
        nonlocal count
        for cadre in cadres.iterator(chunk_size=CHUNK):
            row = CADRE_ROSTER.export_row(cadre)
            if not full_phone:
                row[_ROSTER_PHONE] = mask_phone(row[_ROSTER_PHONE])
            count += 1
            yield row

    content = roster_workbook(CADRE_ROSTER, rows())
    return content, count
