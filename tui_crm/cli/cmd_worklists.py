"""`task list|generate|done` and `complaint queue|assign|confirm|analysis`."""

import argparse

from tui_crm.cli.common import add_common_options, print_json, print_table, record_id, with_actor
from tui_crm.cli.parser import as_date
from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import label

CAUSES = ["claim_speed", "claim_amount", "service_attitude", "renewal", "sales", "other"]


def register(subparsers: argparse._SubParsersAction) -> None:
    task = subparsers.add_parser("task", help="follow-up tasks: care after a claim, replies")
    actions = task.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="open tasks, the oldest due first")
    listing.add_argument("--mine", action="store_true", help="only those assigned to you")
    listing.add_argument("--all", action="store_true", help="done ones too")
    add_common_options(listing)
    listing.set_defaults(handler=_tasks)
    generate = actions.add_parser("generate", help="care and satisfaction calls from claims")
    add_common_options(generate)
    generate.set_defaults(handler=_generate)
    done = actions.add_parser("done", help="close a task (the call goes into the history)")
    done.add_argument("task_id", type=record_id)
    done.add_argument("--notes", default="")
    add_common_options(done)
    done.set_defaults(handler=_done)

    complaint = subparsers.add_parser("complaint", help="complaint deadlines and analysis")
    c_actions = complaint.add_subparsers(dest="action", metavar="ACTION", required=True)
    queue = c_actions.add_parser("queue", help="open complaints, the nearest deadline first")
    queue.add_argument("--all", action="store_true", help="resolved and confirmed too")
    add_common_options(queue)
    queue.set_defaults(handler=_queue)
    assign = c_actions.add_parser("assign", help="who handles it, and the cause")
    assign.add_argument("contact_id", type=record_id)
    assign.add_argument("--to", required=True, metavar="USERNAME")
    assign.add_argument("--cause", required=True, choices=CAUSES, metavar="CAUSE")
    add_common_options(assign)
    assign.set_defaults(handler=_assign)
    confirm = c_actions.add_parser("confirm", help="the customer confirmed the resolution")
    confirm.add_argument("contact_id", type=record_id)
    add_common_options(confirm)
    confirm.set_defaults(handler=_confirm)
    analysis = c_actions.add_parser("analysis", help="complaints by cause, unit and month")
    analysis.add_argument("--from", dest="start", type=as_date, required=True)
    analysis.add_argument("--to", dest="end", type=as_date, required=True)
    add_common_options(analysis)
    analysis.set_defaults(handler=_analysis)


@with_actor
def _tasks(args, services, actor) -> int:
    rows = services.tasks.tasks(actor, mine=args.mine, include_done=args.all)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        [
            [
                t.id,
                t.due_date,
                tr("逾期", "overdue") if t.overdue else "",
                label("task_kind", t.kind),
                t.customer_name,
                t.subject,
                t.assignee,
                label("task_status", t.status),
            ]
            for t in rows
        ],
        [
            tr("编号", "id"),
            tr("期限", "due"),
            "",
            tr("类型", "kind"),
            tr("客户", "customer"),
            tr("事由", "subject"),
            tr("负责人", "assignee"),
            tr("状态", "status"),
        ],
    )
    return 0


@with_actor
def _generate(args, services, actor) -> int:
    run = services.tasks.generate(actor)
    print_json(run) if args.json else print(
        tr(
            "新增出险关怀 {c} 条，满意度回访 {s} 条",
            "{c} care calls and {s} satisfaction calls added",
            c=run.care_calls,
            s=run.satisfaction_calls,
        )
    )
    return 0


@with_actor
def _done(args, services, actor) -> int:
    task = services.tasks.done(actor, args.task_id, args.notes)
    print_json(task) if args.json else print(tr("任务已完成", "Task done"))
    return 0


def _complaints(args, rows) -> int:
    if args.json:
        print_json(rows)
        return 0
    print_table(
        [
            [
                c.id,
                c.received_at,
                c.customer_name,
                c.subject,
                label("complaint_cause", c.cause),
                label("complaint_stage", c.stage),
                c.assignee,
                c.due_date,
                tr("逾期", "overdue") if c.overdue else "",
            ]
            for c in rows
        ],
        [
            tr("编号", "id"),
            tr("登记", "received"),
            tr("客户", "customer"),
            tr("事由", "subject"),
            tr("原因", "cause"),
            tr("阶段", "stage"),
            tr("负责人", "assignee"),
            tr("期限", "due"),
            "",
        ],
    )
    return 0


@with_actor
def _queue(args, services, actor) -> int:
    return _complaints(args, services.complaint_desk.queue(actor, include_closed=args.all))


@with_actor
def _assign(args, services, actor) -> int:
    item = services.complaint_desk.assign(
        actor, args.contact_id, assignee=args.to, cause=args.cause
    )
    return _complaints(args, item) if args.json else _complaints(args, [item])


@with_actor
def _confirm(args, services, actor) -> int:
    item = services.complaint_desk.confirm(actor, args.contact_id)
    return _complaints(args, item) if args.json else _complaints(args, [item])


@with_actor
def _analysis(args, services, actor) -> int:
    result = services.complaint_desk.analysis(actor, start=args.start, end=args.end)
    if args.json:
        print_json(result)
        return 0
    print(
        tr(
            "投诉 {t} 件，逾期 {o} 件",
            "{t} complaints, {o} overdue",
            t=result.total,
            o=result.overdue,
        )
    )
    for title, kind, counts in (
        (tr("按原因", "By cause"), "complaint_cause", result.by_cause),
        (tr("按机构", "By unit"), None, result.by_unit),
        (tr("按月份", "By month"), None, result.by_month),
    ):
        print(title)
        print_table(
            [[label(kind, k) if kind else k, n] for k, n in counts.items()],
            ["", tr("件数", "count")],
        )
    return 0
