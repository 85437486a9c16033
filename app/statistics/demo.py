"""Demo statistics of the Statistics Office (ctk): population, GRDP, industrial crops, schools; a release calendar.

Figures are realistic in scale for Binh Phuoc (about 1 million people, 6,877 km²) but are demo values.
"""

import datetime as dt

from sqlalchemy import select

from app.core.models import Tenant
from app.core.scoping import scoped
from app.core.timeutil import to_local, utcnow
from app.demo import published
from app.extensions import db
from app.statistics.models import Dataset, Release
from app.statistics.operations import STATISTICS_OFFICE, announce

YEARS = ("2020", "2021", "2022", "2023", "2024")
DISTRICTS_2020 = (
    ("Thành phố Đồng Xoài", 108_900), ("Thị xã Phước Long", 57_300), ("Thị xã Bình Long", 61_200),
    ("Thị xã Chơn Thành", 92_800), ("Huyện Đồng Phú", 107_600), ("Huyện Hớn Quản", 101_900),
    ("Huyện Lộc Ninh", 123_400), ("Huyện Bù Đốp", 59_100), ("Huyện Bù Gia Mập", 88_700),
    ("Huyện Bù Đăng", 138_500), ("Huyện Phú Riềng", 98_600),
)  # fmt: skip
GROWTH = {"Thành phố Đồng Xoài": 0.021, "Thị xã Chơn Thành": 0.028, "Huyện Đồng Phú": 0.016}


def _population():
    rows = []
    for name, base in DISTRICTS_2020:
        for i, year in enumerate(YEARS):
            value = round(base * (1 + GROWTH.get(name, 0.009)) ** i, -1)
            rows.append(
                _obs("Dân số trung bình", name, year, int(value), "người", "provisional" if year == "2024" else "")
            )
    for year in YEARS:
        total = sum(o["value"] for o in rows if o["period"] == year)
        rows.append(
            _obs("Dân số trung bình", "Toàn tỉnh", year, total, "người", "provisional" if year == "2024" else "")
        )
    return rows


def _obs(indicator, area, period, value, unit, note=""):
    return {"indicator": indicator, "area": area, "period": period, "value": value, "unit": unit, "note": note}


GRDP = {
    "Nông, lâm nghiệp và thủy sản": (17_950, 19_120, 20_410, 21_380, 22_560),
    "Công nghiệp và xây dựng": (21_340, 23_870, 27_150, 29_960, 33_480),
    "Dịch vụ": (18_760, 19_420, 21_930, 24_120, 26_750),
    "Thuế sản phẩm trừ trợ cấp sản phẩm": (3_180, 3_310, 3_640, 3_890, 4_150),
}
CROPS = {
    "Sản lượng hạt điều": ("tấn", (155_300, 163_200, 171_800, 178_400, 184_900)),
    "Sản lượng mủ cao su (quy khô)": ("tấn", (338_600, 342_100, 349_500, 351_200, 356_800)),
    "Sản lượng hồ tiêu": ("tấn", (58_900, 56_300, 54_800, 55_700, 57_200)),
}
SCHOOL_YEARS = ("2021-2022", "2022-2023", "2023-2024", "2024-2025")
SCHOOLS = {
    "Học sinh tiểu học": (98_450, 99_120, 100_310, 100_870),
    "Học sinh trung học cơ sở": (71_230, 73_560, 75_040, 76_390),
    "Học sinh trung học phổ thông": (36_880, 37_910, 39_220, 40_150),
}

DATASETS = (
    {
        "slug": "dan-so-trung-binh-theo-huyen",
        "title": "Dân số trung bình phân theo huyện, thị xã, thành phố",
        "title_en": "Average population by district",
        "topic": "Dân số và lao động",
        "units": "người",
        "period_covered": "2020–2024",
        "summary": "Dân số trung bình của tỉnh Bình Phước và 11 đơn vị hành chính cấp huyện qua các năm 2020–2024.",
        "methodology": "<p>Dân số trung bình được tính từ kết quả Tổng điều tra dân số và nhà ở năm 2019 và điều tra "
        "biến động dân số hằng năm (1/4), theo phương pháp bình quân số học dân số đầu năm và cuối năm.</p>",
        "analysis": "<p>Dân số toàn tỉnh năm 2024 ước khoảng 1,05 triệu người. Chơn Thành và Đồng Xoài tăng nhanh nhất "
        "nhờ phát triển các khu công nghiệp; các huyện biên giới tăng chậm.</p>",
        "release_date": dt.date(2025, 6, 28),
        "observations": _population,
    },
    {
        "slug": "grdp-theo-khu-vuc-kinh-te",
        "title": "Tổng sản phẩm trên địa bàn (GRDP) theo giá hiện hành phân theo khu vực kinh tế",
        "title_en": "Gross regional domestic product by economic sector",
        "topic": "Tài khoản quốc gia",
        "units": "tỷ đồng",
        "period_covered": "2020–2024",
        "summary": "GRDP theo giá hiện hành của tỉnh Bình Phước, chia theo ba khu vực kinh tế và thuế sản phẩm.",
        "methodology": "<p>GRDP tính theo phương pháp sản xuất, theo Hệ thống tài khoản quốc gia (SNA 2008), "
        "số liệu năm 2024 là sơ bộ.</p>",
        "analysis": "<p>Khu vực công nghiệp và xây dựng có tỷ trọng lớn nhất và tăng nhanh nhất, phản ánh quá trình "
        "chuyển dịch cơ cấu kinh tế của tỉnh.</p>",
        "release_date": dt.date(2025, 6, 28),
        "observations": lambda: [
            _obs(k, "Toàn tỉnh", y, v, "tỷ đồng", "provisional" if y == "2024" else "")
            for k, values in GRDP.items()
            for y, v in zip(YEARS, values, strict=True)
        ],
    },
    {
        "slug": "san-luong-cay-cong-nghiep-lau-nam",
        "title": "Sản lượng cây công nghiệp lâu năm chủ yếu: điều, cao su, hồ tiêu",
        "title_en": "Output of main perennial industrial crops: cashew, rubber, pepper",
        "topic": "Nông, lâm nghiệp và thủy sản",
        "units": "tấn",
        "period_covered": "2020–2024",
        "summary": "Sản lượng hạt điều, mủ cao su và hồ tiêu của toàn tỉnh qua các năm.",
        "methodology": "<p>Số liệu tổng hợp từ điều tra cây lâu năm và báo cáo của các huyện; năm 2024 là ước "
        "tính.</p>",
        "analysis": "<p>Bình Phước là thủ phủ điều của cả nước. Sản lượng hồ tiêu giảm giai đoạn 2020–2022 do giá "
        "thấp và dịch bệnh, phục hồi từ năm 2023.</p>",
        "release_date": dt.date(2025, 3, 31),
        "observations": lambda: [
            _obs(k, "Toàn tỉnh", y, v, unit, "estimated" if y == "2024" else "")
            for k, (unit, values) in CROPS.items()
            for y, v in zip(YEARS, values, strict=True)
        ],
    },
    {
        "slug": "hoc-sinh-pho-thong",
        "title": "Số học sinh phổ thông theo cấp học",
        "title_en": "School enrolments by level",
        "topic": "Giáo dục",
        "units": "học sinh",
        "period_covered": "Năm học 2021-2022 đến 2024-2025",
        "summary": "Số học sinh tiểu học, trung học cơ sở và trung học phổ thông tại thời điểm 30/9 hằng năm.",
        "methodology": "<p>Số liệu từ báo cáo thống kê giáo dục của Sở Giáo dục và Đào tạo, tại thời điểm đầu năm "
        "học.</p>",
        "analysis": "<p>Số học sinh tăng đều ở cả ba cấp, nhất là trung học phổ thông.</p>",
        "release_date": dt.date(2025, 10, 15),
        "observations": lambda: [
            _obs(k, "Toàn tỉnh", y, v, "học sinh")
            for k, values in SCHOOLS.items()
            for y, v in zip(SCHOOL_YEARS, values, strict=True)
        ],
    },
)


def load_statistics(scale=1):
    office = db.session.execute(select(Tenant).where(Tenant.code == STATISTICS_OFFICE)).scalars().first()
    if office is None:
        return
    now = utcnow()
    made = 0
    for spec in DATASETS:
        if db.session.execute(scoped(Dataset, office, Dataset.id).where(Dataset.slug == spec["slug"])).first():
            continue
        fields = {k: v for k, v in spec.items() if k != "observations"}
        db.session.add(
            published(
                Dataset,
                office,
                now,
                source="Cục Thống kê tỉnh Bình Phước",
                observations=spec["observations"](),
                **fields,
            )
        )
        made += 1
    releases = 0
    if not db.session.execute(scoped(Release, office, Release.id)).first():
        today = to_local(now).date()
        year = today.year
        announce(office, "Niên giám thống kê tỉnh Bình Phước", dt.date(year + 1, 6, 1), "month", "provisional",
                 topic="Tổng hợp")  # fmt: skip
        announce(office, "Tình hình kinh tế - xã hội quý IV và cả năm", dt.date(year, 12, 29), "day", "confirmed",
                 topic="Kinh tế - xã hội")  # fmt: skip
        changed = announce(office, "Chỉ số giá tiêu dùng (CPI) tháng", today + dt.timedelta(days=10), "day",
                           "provisional", topic="Giá cả")  # fmt: skip
        from app.statistics.operations import change_release

        change_release(changed, "Lùi ngày công bố 2 ngày do trùng kỳ họp HĐND tỉnh.",
                       planned_date=today + dt.timedelta(days=12), status="confirmed")  # fmt: skip
        cancelled = announce(office, "Kết quả điều tra lao động việc làm quý", today + dt.timedelta(days=20), "day",
                             "confirmed", topic="Dân số và lao động")  # fmt: skip
        change_release(cancelled, "Gộp vào báo cáo năm.", status="cancelled",
                       cancel_reason="Tổng cục Thống kê điều chỉnh kế hoạch, công bố trong niên giám.")  # fmt: skip
        announce(office, "Số học sinh phổ thông năm học 2024-2025", dt.date(2025, 10, 15), "day", "confirmed",
                 dataset_slug="hoc-sinh-pho-thong", topic="Giáo dục")  # fmt: skip
        releases = 5
    db.session.commit()
    yield f"statistics: {made} datasets, {releases} announced releases"
