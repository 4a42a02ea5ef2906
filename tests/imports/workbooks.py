"""Registers as towns keep them, built by the tests: three ledger layouts and a roster."""

from __future__ import annotations

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def ledger_like_export(rows=None, year=2019) -> bytes:
    """Layout A, close to the system's own export: a merged title row above one header row;
    dates as date cells and as Excel serials; numbers kept."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([f"黄寨镇{year}年矛盾纠纷摸排台账"])
    ws.merge_cells("A1:N1")
    ws.append(["序号", "编号", "发现日期", "所属网格", "当事人", "联系电话", "纠纷类型", "简要情况",
               "风险等级", "调解人", "化解措施", "化解结果", "办结日期", "包抓领导"])
    default = [
        [1, f"黄寨人调〔{year}〕1号", datetime.datetime(year, 3, 5), "黄寨村第1网格", "张三、李四",
         "13800000001、13800000002", "邻里纠纷", "因排水沟堵塞发生争执", "蓝", "王五",
         "上门调解", "已化解", datetime.datetime(year, 3, 8), "赵镇长"],
        [2, f"黄寨人调〔{year}〕2号", 43600, "马寨村", "钱六", "", "婚姻家庭", "夫妻矛盾",
         "黄", "", "", "调解中", None, ""],
        [3, f"黄寨人调〔{year}〕3号", datetime.date(year, 4, 1), "甘庄村第2网格", "孙七、周八", "",
         "土地", "地界争议", "红色", "", "移交法院", "已移交", datetime.date(year, 4, 20), ""],
    ]
    for row in rows if rows is not None else default:
        ws.append(row)
    ws.append(["合计", "3件"])
    wb.create_sheet("说明").append(["本台账由综治办填报"])
    return _xlsx(wb)


def ledger_two_row_header(rows=None) -> bytes:
    """Layout B, a village's hand-made register: two title rows, a header over two rows
    (当事人 merged over 姓名 | 联系电话, the others merged down), dates typed as text, no
    numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2019年"
    ws.append(["黄寨镇矛盾纠纷排查化解登记表"])
    ws.append(["填报单位：黄寨村", None, None, None, None, "2019年度"])
    ws.append(["序号", "登记日期", "村（社区）", "当事人", None, "矛盾类型", "基本情况", "是否化解",
               "化解时间"])
    ws.append([None, None, None, "姓名", "联系电话", None, None, None, None])
    ws.merge_cells("D3:E3")
    for col in "ABCFGHI":
        ws.merge_cells(f"{col}3:{col}4")
    default = [
        [1, "2019.3.5", "黄寨村1组", "刘一", "13900000001", "合同纠纷", "欠款未还", "是", "2019.3.20"],
        [2, "2019年3月6日", "黄寨村2组", "陈二与杨三", "", "宅基地", "宅基地边界", "否", ""],
        [3, "2019/03/07", "马寨村第3网格", "吴四", "", "其他", "噪音扰民", "调解不成", "2019年4月1日"],
    ]
    for row in rows if rows is not None else default:
        ws.append(row)
    ws.append([])
    ws.append(["填表人：李会计", None, "审核人：张主任"])
    return _xlsx(wb)


def ledger_csv(rows=None, encoding="gb18030") -> bytes:
    """Layout C, a CSV saved by Excel in Chinese (GB18030): one header row with other words."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["案号", "排查日期", "网格", "双方当事人", "类别", "主要内容", "调处结果",
                     "移交单位", "办结时间"])
    default = [
        ["马寨人调〔2018〕7号", "20180502", "马寨村第1网格", "郑甲与冯乙", "劳动争议", "拖欠工资",
         "调解不成", "人民法院", "2018-05-30"],
        ["", "2018-06-01", "柏树村", "褚丙", "消费纠纷", "商品质量", "已化解", "", "2018-06-03"],
    ]
    for row in rows if rows is not None else default:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def ledger_xls(rows=None) -> bytes:
    """Layout D, a legacy .xls (Excel 97–2003) as older village computers still save: a title
    row merged across, then the headers; a date cell, a date typed as text and an Excel serial
    typed as a number."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("2018年台账")
    ws.write_merge(0, 0, 0, 6, "黄寨镇2018年矛盾纠纷摸排台账")
    for col, label in enumerate(["序号", "登记日期", "所属村", "当事人", "纠纷类型", "简要情况",
                                 "化解结果"]):
        ws.write(1, col, label)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    default = [
        [1, datetime.date(2018, 9, 3), "黄寨村第2网格", "卫甲、蒋乙", "邻里纠纷", "老式台账甲", "已化解"],
        [2, "2018年9月4日", "马寨村", "沈丙", "婚姻家庭", "老式台账乙", "调解中"],
        [3, 43348, "甘庄村", "韩丁", "其他", "老式台账丙", "已化解"],  # 2018-09-05
    ]
    for r, row in enumerate(rows if rows is not None else default, start=2):
        for col, value in enumerate(row):
            if isinstance(value, datetime.date):
                ws.write(r, col, value, date_style)
            else:
                ws.write(r, col, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ROSTER_HEADERS = ["大网格编号", "大网格", "小网格", "姓名", "性别", "联系电话", "单位及职务", "角色",
                  "调委会", "五老类别", "起始日期", "终止日期", "包户户主"]


def roster_workbook(town_name="青山镇") -> bytes:
    """A new town's organisation: 2 large grids (village and community), 3 small grids, the
    town committee and 2 village committees, grid staff, five-elders mediators, offices and
    the 三包 (包片, 包村 and a grid member who also covers a household); one post ended."""
    wb = Workbook()
    ws = wb.active
    ws.title = "组织架构"
    ws.append([f"{town_name}网格化管理及调解组织花名册"])
    ws.append(ROSTER_HEADERS)
    rows = [
        [1, "东村", "东村第1网格", "", "", "", "", "", "", "", "", ""],
        [1, "东村", "东村第2网格", "东一", "男", "13700000001", "村干部", "网格员", "", "", "2020.1.1", ""],
        [1, "东村", "东村第1网格", "东二", "女", "13700000002", "", "网格员", "", "", "2020.1.1", ""],
        [1, "东村", "", "东三", "男", "13700000003", "村支书", "网格长", "", "", "2020年1月1日", ""],
        [1, "东村", "", "东四", "男", "", "退休教师", "“五老”调解员", "东村人民调解委员会", "老教师",
         "2021.6.1", ""],
        [1, "东村", "", "东五", "男", "", "", "调委会主任", "", "", "2020.1.1", ""],
        [2, "西社区", "西社区第1网格", "西一", "女", "13700000011", "", "网格员", "", "", "2020.1.1", ""],
        [2, "西社区", "", "西二", "男", "", "", "网格长", "", "", "2020.1.1", "2022.12.31"],
        [2, "西社区", "", "西三", "男", "", "", "网格长", "", "", "2023.1.1", ""],
        [2, "西社区", "", "西四", "男", "", "党委委员", "包片领导", "", "", "2020.1.1", ""],
        [2, "西社区", "", "西五", "男", "", "副镇长", "包村领导", "", "", "2020.1.1", ""],
        ["", "", "", "镇一", "男", "", "综治办主任", "综治办", "", "", "2020.1.1", ""],
        ["", "", "", "镇二", "女", "", "综治办干事", "综治办", "", "", "2020.1.1", ""],
        ["", "", "", "镇三", "男", "", "司法所所长", "司法所", "", "", "2020.1.1", ""],
        ["", "", "", "镇四", "男", "", "", "调委会主任", f"{town_name}人民调解委员会", "", "2020.1.1", ""],
        ["", "", "", "镇五", "男", "", "", "调解员", f"{town_name}人民调解委员会", "老党员", "2020.1.1", ""],
        [1, "东村", "东村第2网格", "东一", "男", "13700000001", "村干部", "包户干部", "", "",
         "2020.1.1", "", "李大户"],
    ]
    for row in rows:
        ws.append(row)
    return _xlsx(wb)


# What the roster above makes of a town (grid.selectors.town_summary).
ROSTER_SUMMARY = {"large_grids": 2, "small_grids": 3, "committees": 2, "centres": 0,
                  "service_windows": 0, "rooms": 0, "governance_office_staff": 2,
                  "judicial_office_staff": 1, "grid_staff": 5, "five_elders_mediators": 2}


def petition_register(rows) -> bytes:
    """A petition register (信访登记簿) as the petition office keeps it: a title row, then
    one header row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "信访登记"
    ws.append(["黄寨镇信访事项登记簿"])
    ws.append(["序号", "信访编号", "来访日期", "村", "信访人", "联系电话", "人数", "信访形式",
               "信访事项", "主要诉求", "答复日期", "处理意见", "办结日期", "是否满意"])
    for row in rows:
        ws.append(row)
    return _xlsx(wb)
