"""What each importable resource's spreadsheet looks like: its columns, in Chinese, and how
each cell is cleaned and written back out.

The headers and the choice labels are data, not interface text: they are the same in every
language, as the bureaus' own spreadsheets are. The cadre list's export uses the same columns
(`CADRE_ROSTER.headers` and `CADRE_ROSTER.export_row`), so an exported roster imports again
unchanged.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from imports import cleaning

# The 56 recognised ethnic groups: "汉" and "汉族" are both read as 汉族.
ETHNIC_GROUPS = [
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
    "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜",
    "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒",
    "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴",
    "珞巴", "基诺",
]  # fmt: skip

SEX_LABELS = {"M": "男", "F": "女"}
RETIREMENT_LABELS = {"lixiu": "离休", "tuixiu": "退休"}
RANK_LABELS = {
    "provincial": "省部级",
    "bureau": "厅局级",
    "county": "县处级",
    "section": "乡科级",
    "other": "其他",
}
CALENDAR_LABELS = {"solar": "公历", "lunar": "农历"}
FIVE_ELDERS_LABELS = {
    "old_cadre": "老干部",
    "veteran": "老战士",
    "expert": "老专家",
    "teacher": "老教师",
    "model_worker": "老模范",
}
YES, NO = "是", "否"


@dataclasses.dataclass(frozen=True)
class Column:
    header: str
    field: str
    clean: Callable
    required: bool = False
    # Other headers bureaus use for the same column.
    aliases: tuple[str, ...] = ()
    # The cell a stored value is written out as (export and template).
    export: Callable = lambda value: value
    example: object = ""
    note: str = ""  # a gettext_lazy string for the template's note sheet


@dataclasses.dataclass(frozen=True)
class Resource:
    slug: str
    verbose_name: str
    model: type
    columns: tuple[Column, ...]
    # The column that finds an existing record (a natural key, never the database id).
    key_field: str
    # Headers that are accepted and ignored (a row number column most bureau sheets have).
    ignored_headers: tuple[str, ...] = ("序号",)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @property
    def required_headers(self) -> list[str]:
        return [column.header for column in self.columns if column.required]

    def column_for(self, header: str) -> Column | None:
        for column in self.columns:
            if header == column.header or header in column.aliases:
                return column
        return None

    def export_row(self, obj) -> list:
        """One record as the row of cells the import reads back (the export's row)."""
        return [self.export_cell(obj, column) for column in self.columns]

    def export_cell(self, obj, column: Column):
        return column.export(_value_of(obj, column.field))


def _value_of(obj, field: str):
    if field == "branch":
        return obj.branch.name if obj.branch_id else ""
    return getattr(obj, field)


def labelled_choice(labels: dict[str, str], extra: dict[str, str] | None = None) -> Callable:
    """A cleaner reading a choice by its Chinese label (or its code)."""
    options = {label: code for code, label in labels.items()}
    options.update({code: code for code in labels})
    options.update(extra or {})
    return cleaning.choice(options)


def label_of(labels: dict[str, str]) -> Callable:
    return lambda value: labels.get(value, value or "")


def _date_cell(value):
    return value if isinstance(value, dt.date) else ""


def _yes_no(value) -> str:
    return YES if value else NO


def _ethnicity(value) -> str:
    raw = cleaning.text(value).replace(" ", "")
    if raw in ETHNIC_GROUPS:
        return raw + "族"
    if len(raw) > 20:
        raise cleaning.CellError(
            _("Too long: %(count)d characters, at most %(limit)d.") % {"count": len(raw), "limit": 20},
            "too_long",
        )
    return raw


CADRE_ROSTER = Resource(
    slug="cadres",
    verbose_name=_("Cadre roster"),
    model=Cadre,
    key_field="id_number",
    columns=(
        Column("姓名", "name", cleaning.max_length(cleaning.name, 50), required=True, example="王建国"),
        Column(
            "性别",
            "sex",
            labelled_choice(SEX_LABELS, {"male": "M", "female": "F"}),
            export=label_of(SEX_LABELS),
            example="男",
            note=_("男 or 女; may be left blank: the ID number tells."),
        ),
        Column(
            "身份证号",
            "id_number",
            cleaning.id_number,
            required=True,
            aliases=("身份证号码", "公民身份号码"),
            example="51010419500314029X",
            note=_(
                "18 characters, the last may be X. Format this column as text, or Excel drops the last digits."
            ),
        ),
        Column(
            "出生日期",
            "birth_date",
            cleaning.date,
            export=_date_cell,
            example=dt.date(1950, 3, 14),
            note=_("May be left blank; when filled in it must agree with the ID number."),
        ),
        Column("民族", "ethnicity", _ethnicity, example="汉族", note=_("Blank means 汉族 for a new cadre.")),
        Column(
            "退休类别",
            "retirement_type",
            labelled_choice(RETIREMENT_LABELS),
            required=True,
            aliases=("离退休类别",),
            export=label_of(RETIREMENT_LABELS),
            example="退休",
            note=_("离休 or 退休."),
        ),
        Column(
            "退休日期",
            "retired_on",
            cleaning.date,
            aliases=("离退休日期", "退休时间"),
            export=_date_cell,
            example=dt.date(2010, 4, 1),
        ),
        Column(
            "原单位",
            "former_unit",
            cleaning.max_length(cleaning.single_line, 120),
            aliases=("原工作单位",),
            example="市城管局",
        ),
        Column("原职务", "former_post", cleaning.max_length(cleaning.single_line, 120), example="副局长"),
        Column(
            "职级",
            "rank",
            labelled_choice(
                RANK_LABELS, {"正厅级": "bureau", "副厅级": "bureau", "正处级": "county", "副处级": "county"}
            ),
            export=label_of(RANK_LABELS),
            example="县处级",
            note=_("省部级, 厅局级, 县处级, 乡科级 or 其他."),
        ),
        Column(
            "入党日期",
            "party_join_date",
            cleaning.date,
            aliases=("入党时间",),
            export=_date_cell,
            example=dt.date(1972, 7, 1),
            note=_("Blank for a cadre who is not a Party member."),
        ),
        Column(
            "所在党支部",
            "branch",
            cleaning.max_length(cleaning.single_line, 120),
            aliases=("党支部", "所在支部"),
            example="市城管局离退休干部党支部",
            note=_(
                "The full name of a Party organisation you can see. A new cadre becomes its member "
                "from today; a changed one is transferred to it from today."
            ),
        ),
        Column(
            "联系电话",
            "phone",
            cleaning.max_length(cleaning.phone, 20),
            aliases=("电话", "手机", "手机号码"),
            example="13812345678",
        ),
        Column(
            "地址",
            "address",
            cleaning.max_length(cleaning.single_line, 200),
            aliases=("家庭住址", "住址"),
            example="锦江区红星路1号",
        ),
        Column(
            "生日历法",
            "birthday_calendar",
            labelled_choice(
                CALENDAR_LABELS, {"阳历": "solar", "阴历": "lunar", "新历": "solar", "旧历": "lunar"}
            ),
            export=label_of(CALENDAR_LABELS),
            example="公历",
            note=_("Which birthday the cadre keeps: 公历 or 农历. Blank means 公历 for a new cadre."),
        ),
        Column(
            "五老",
            "five_elders",
            cleaning.multiple_choice(
                {
                    **{label: code for code, label in FIVE_ELDERS_LABELS.items()},
                    **{c: c for c in FIVE_ELDERS_LABELS},
                },
                order=FIVE_ELDERS_LABELS,
            ),
            export=lambda codes: "、".join(FIVE_ELDERS_LABELS.get(code, code) for code in codes or []),
            example="老干部、老教师",
            note=_("老干部, 老战士, 老专家, 老教师, 老模范; several separated by 、."),
        ),
        Column(
            "常住外地", "lives_elsewhere", cleaning.boolean, export=_yes_no, example=NO, note=_("是 or 否.")
        ),
        Column(
            "特殊困难", "special_hardship", cleaning.boolean, export=_yes_no, example=NO, note=_("是 or 否.")
        ),
        Column("去世日期", "deceased_on", cleaning.date, export=_date_cell, example=""),
        Column("备注", "notes", cleaning.text, example=""),
    ),
)
