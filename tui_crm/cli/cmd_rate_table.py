"""`tui-crm rate-table list|show|set|import`: the effective-dated rate tables.

`set` changes one keyed value from an effective date on (a new version, or the version
that starts on that date); `import` loads a whole new version from a key,label,value CSV
(lines starting with # are comments) — refused, with every bad row listed, if any row is bad.
"""

import argparse
import sys
from pathlib import Path

from tui_crm.cli.common import add_common_options, print_json, print_table, record_id, with_actor
from tui_crm.cli.parser import iso_date
from tui_crm.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("rate-table", help="rate tables (交强险, 车船税, 商业险, NCD...)")
    commands = group.add_subparsers(dest="rate_table_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="table versions")
    listing.add_argument("--code")
    listing.add_argument("--region")
    add_common_options(listing)
    listing.set_defaults(handler=_list)

    show = commands.add_parser("show", help="the rows of one version")
    show.add_argument("id", type=record_id)
    add_common_options(show)
    show.set_defaults(handler=_show)

    change = commands.add_parser("set", help="change one value from a date on (audited)")
    change.add_argument("--code", required=True)
    change.add_argument("--region", default="national")
    change.add_argument("--key", required=True)
    change.add_argument("--value", required=True)
    change.add_argument(
        "--from", dest="effective_from", type=iso_date, required=True, metavar="DATE"
    )
    change.add_argument("--label")
    add_common_options(change)
    change.set_defaults(handler=_set)

    imp = commands.add_parser("import", help="a new version from a key,label,value CSV")
    imp.add_argument("file")
    imp.add_argument("--code", required=True)
    imp.add_argument("--region", default="national")
    imp.add_argument("--from", dest="effective_from", type=iso_date, required=True, metavar="DATE")
    imp.add_argument("--source", required=True, help="the notice or table it transcribes")
    add_common_options(imp)
    imp.set_defaults(handler=_import)


def _version(v) -> dict[str, object]:
    return {
        "id": v.id,
        "code": v.code,
        "region": v.region,
        "effective_from": v.effective_from,
        "entries": v.entries,
        "source": v.source,
    }


def _print_versions(versions, as_json: bool) -> None:
    data = [_version(v) for v in versions]
    if as_json:
        print_json(data)
    else:
        print_table(
            [
                [d["id"], d["code"], d["region"], d["effective_from"], d["entries"], d["source"]]
                for d in data
            ],
            [
                tr("编号", "id"),
                tr("表", "code"),
                tr("地区", "region"),
                tr("生效日期", "from"),
                tr("行数", "rows"),
                tr("来源", "source"),
            ],
        )


@with_actor
def _list(args, services, actor) -> int:
    _print_versions(services.rate_tables.versions(actor, args.code, args.region), args.json)
    return 0


@with_actor
def _show(args, services, actor) -> int:
    rows = services.rate_tables.entries(actor, args.id)
    data = [{"key": r.key, "label": r.label, "value": f"{r.value.normalize():f}"} for r in rows]
    if args.json:
        print_json(data)
    else:
        print_table(
            [[d["key"], d["label"], d["value"]] for d in data],
            [tr("键", "key"), tr("说明", "label"), tr("值", "value")],
        )
    return 0


@with_actor
def _set(args, services, actor) -> int:
    version = services.rate_tables.set_entry(
        actor,
        code=args.code,
        region=args.region,
        key=args.key,
        value=args.value,
        effective_from=args.effective_from,
        label=args.label,
    )
    _print_versions([version], args.json)
    return 0


@with_actor
def _import(args, services, actor) -> int:
    from tui_crm.services.core import ValidationFailed
    from tui_crm.services.premium import ImportRefused, read_rate_csv

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ValidationFailed(
            tr("无法读取文件：{e}", "Cannot read the file: {e}", e=error.strerror), field="file"
        ) from None
    except UnicodeDecodeError:
        raise ValidationFailed(
            tr(
                "文件不是 UTF-8 编码的 CSV：{f}",
                "The file is not a UTF-8 CSV: {f}",
                f=args.file,
            ),
            field="file",
        ) from None
    try:
        version = services.rate_tables.import_version(
            actor,
            code=args.code,
            region=args.region,
            effective_from=args.effective_from,
            rows=read_rate_csv(text),
            source=args.source,
        )
    except ImportRefused as refused:
        for row in refused.row_errors[1:]:
            sys.stderr.write(tr("第 {r} 行：{m}\n", "Row {r}: {m}\n", r=row.row, m=row.message))
        raise
    _print_versions([version], args.json)
    return 0
