"""Statistics: every figure about a station's work or setting, with its metric, period and counted thing.

Figures come from `quantities.find_quantities` (span first, then parse). This module decides what each one
measures from the words around it, reads the period it covers, and drops what the design says is not a
statistic (dates, ages, ordinals, list lead-ins such as 五项措施, figures inside unrepaired mojibake). A figure gets
a named metric only when the evidence supports it (a wrong metric is worse than `other`): each metric takes only
its own measure words, and a story's figures are `incidental` (anecdotes). Durations are kept only where they
measure work (metric_durations).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from pipelines.extract.anecdotes import is_incidental, is_story, is_story_detail
from pipelines.extract.metric_durations import duration_metric, duration_qualifier, story_duration
from pipelines.extract.periods import (
    PERIOD_PATTERN,
    Period,
    is_bare_point,
    is_rate_period,
    is_single_day,
    resolve_period,
    resolve_period_at,
)
from pipelines.extract.quantities import Quantity, find_quantities
from pipelines.text.segment import pos_tokenizer, tokenizer

# (metric, figure kinds, units it allows (empty: any), pattern). The first rule matching the counted thing
# wins; failing that, the first matching the clause around the figure. Specific rates precede counts, and
# metrics beyond DESIGN.md's starting taxonomy (villages, schools, media_views …) are the ones the corpus
# demanded (see tests/gold/README.md).
_RATE, _COUNT, _CHANGE = {"percent"}, {"count", "number"}, {"change"}
_PEOPLE = ("人", "名", "位")
_UNITS = ("支", "个", "队", "只")
_CASES = ("起", "件", "件次", "宗", "次")
# Townships, towns and sub-districts as the counted thing itself (7个乡, 20个苏木乡镇, 数十个乡镇（街道）, 两个街道办).
_TOWNSHIPS = r"^[^村社区]{0,4}(乡|镇|乡镇|街道|街道办|街道办事处|苏木|苏木乡镇|镇街)([（(](乡|镇|街道)[)）])?$"
# Working groups and teams other than volunteers' (6个考核检查组, 8支“背包警务队”, 6支“和事佬”调解队).
_WORK_TEAMS = (
    r"^(?!.*(志愿|义警|群防|义务|巡防|护边|平安))"
    r"(?=.*(工作组|检查组|考核|督导组|督查组|专班|工作队|调解队|警务队|突击队|专案组|服务队))"
)
# Measure words of places and organisations, and of events: a grid is never counted in 户 or 项, an event never in 人.
_PLACES = ("个", "座", "处", "所", "家")
_EQUIPMENT_UNITS = ("辆", "辆次", "台", "台次", "部", "架", "匹", "套", "个", "只", "处", "路", "艘")
# Zones an area is divided into for policing, and the posts staffed in it (police_zones).
_ZONES = r"警务区|巡逻片区|警务片区|片区$|防区|责任区|巡区|警区|警格|岗亭|卡点|执勤点|出警点|快反圈|防控圈|治安卡口"
# What is seized is counted in goods' measure words (查获危险品38起126件, 卷烟1000万余支, 设备2台); people are suspects
_SEIZED = (
    *("件", "起", "支", "台", "辆", "张", "公斤", "千克", "克"),
    *("吨", "把", "枚", "发", "箱", "部", "条", "瓶", "套"),
)
_ENFORCED = ("起", "次", "人", "名", "家", "辆", "人次", "辆次", "处")
_EVENTS = ("次", "场", "场次", "期", "堂", "节", "项", "个", "轮", "批", "届")
# services are counted in occasions, cases, people or papers, never in 项 (制度, 业务工作)
_SERVICES = ("次", "件", "件次", "笔", "起", "宗", "人", "名", "位", "人次", "张", "个", "户", "户次", "份", "本")
METRIC_RULES: tuple[tuple[str, frozenset[str], tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (metric, frozenset(kinds), units, re.compile(pattern))
    for metric, kinds, units, pattern in (
        (
            "resolved_at_village_level_rate",
            _RATE,
            (),
            r"(村|社区|基层).{0,6}(一级|层面).{0,6}(解决|化解)|不出(村|社区|镇)",
        ),
        ("mediation_success_rate", _RATE, (), r"(调处|调解|化解)成功率|成功率|(纠纷|矛盾)调(解|处)率"),
        ("dispute_resolution_rate", _RATE, (), r"(化解|调解|调处|处结)率|被.{0,4}(化解|调处|调解)"),
        ("satisfaction_rate", _RATE, (), r"满意(度|率)|安全感"),
        ("request_completion_rate", _RATE, (), r"办结率|按期办结"),
        ("anti_fraud_app_coverage_rate", _RATE, (), r"反诈.{0,30}覆盖率"),
        (
            "crime_change_pct",
            _CHANGE | _RATE,
            (),
            r"(警情|报警|(?<!诉讼)案|诈骗|犯罪|盗窃).{0,12}(下降|上升|减少|增长|增加|降)",
        ),
        ("crime_change_pct", _CHANGE, (), r"(警情|报警|(?<!诉讼)案|诈骗|犯罪|盗窃)"),
        ("share_pct", _RATE, ("%",), r"占|比例|属于"),
        (
            "money_recovered",
            frozenset({"money"}),
            (),
            r"追回|挽回|找回|退赃|止付|返还|退还|冻结|挽损|追赃|发还|拦截|拦下|转回|退回",  # 向群众发还100余万元
        ),
        ("money_saved", frozenset({"money"}), (), r"节省|节约"),
        ("mediators", _COUNT, _PEOPLE, r"调解员|调处(专业)?队|调解(队|团)"),
        ("hazards_fixed", _COUNT, ("处", "起", "个", "条", "项"), r"隐患"),
        (
            "disputes_mediated",
            _COUNT,
            _CASES,
            r"(调处|调解|化解|排查化解|解决).{0,10}(矛盾|纠纷)|(矛盾|纠纷).{0,8}(调处|调解|化解)",
        ),
        (
            "disputes_mediated",
            _COUNT,
            _CASES,
            r"(调解|调处|化解)(成功)?(的)?$|(调解|调处|化解)成功|成功(调解|调处|化解)",
        ),
        # round 4 (tests/annotated/README.md): things a report counts that no earlier metric named
        ("thanks_received", _COUNT, ("面", "封", "件", "份", "个"), r"锦旗|感谢信|表扬信|感谢状|牌匾"),
        ("opinions_collected", _COUNT, ("条", "件", "个"), r"意见|金点子"),
        ("warnings_issued", _COUNT, ("次", "条", "人次"), r"预警"),  # 预警劝阻18744人次
        (
            "traffic_volume",
            _COUNT,
            ("辆", "辆次", "台次", "架次", "人次", "人", ""),
            r"过境车辆|车流量|车流|(出入|过往|通行|进出|往来)车辆|客流|航班",
        ),
        (
            "neighbourhoods",
            _COUNT,
            ("个", "栋", "座", "幢", "处"),
            r"(村民|居民)小组|小区|院落|楼栋|栋楼|出租屋|^楼$|楼宇",
        ),
        ("townships", _COUNT, ("个", ""), _TOWNSHIPS),
        ("work_teams", _COUNT, ("个", "支", "组"), _WORK_TEAMS),
        ("community_police_schools", _COUNT, (), r"社区警校|警校"),
        ("police_offices", _COUNT, _PLACES, r"警务室|民警工作室|警务(服务)?站"),
        (
            "population",
            _COUNT,
            _PEOPLE + ("万",),
            r"(大|中|小)?学生|师生|务工人员|外来人员|渔民|从业人员|侨胞|同胞|族$|族(群众|村民|居民)",
        ),
        # a bare 万 before the people themselves (54万石柱人, 780万南通人民): the population of a place
        ("population", _COUNT, ("", "万"), r"^[\u4e00-\u9fff]{1,4}人(民)?$"),
        # a group is named by its head (12个“校园反诈联盟群” are groups, not schools)
        ("wechat_groups", _COUNT, ("个",), r"(微信|警民|联盟|工作|QQ).{0,4}群"),
        ("schools", _COUNT, _PLACES, r"(大|中|小)学(?!生)|学校|高校|幼儿园|校园"),
        ("service_points", _COUNT, _PLACES, r"(服务|办理|受理|便民)(点|站|中心|窗口)|窗口"),
        # subject-only rules (_SUBJECT_ONLY): the counted thing itself must name them, never a word nearby
        ("organisations", _COUNT, ("个", "家"), r"调解组织|调委会|调解委员会|工作站|工作室|联调室|调解室|部门"),
        ("police_zones", _COUNT, ("个", "处", "座"), _ZONES),
        ("police_zones", _COUNT, ("",), r"^大(" + _ZONES + ")"),  # 8大防区: quantities reads 8 alone
        (
            "equipment",
            _COUNT,
            _EQUIPMENT_UNITS,
            # police vehicles and security devices by name; other vehicles and animals need a verb (VERB_RULES)
            r"警车|巡逻车|警用.{0,4}(车|摩托|无人机)|监控|摄像|探头|报警(装置|器|按钮|柱)|执法记录仪|对讲机",
        ),
        ("villages", _COUNT, ("个", "座"), r"^(行政)?村(?!民|委)|^村居|自然村|自然寨|村寨|村庄|村居委会"),
        ("villages", _COUNT, ("条",), r"自然村|行政村"),  # 自然村126条
        ("villages", _COUNT, ("个",), r"^村委会$|^村民委员会$"),
        ("communities", _COUNT, ("个",), r"^社区$|^(社区)?居委会$|^居民委员会$"),
        ("enterprises", _COUNT, _PLACES + ("户",), r"企业|公司|商户|商家|单位$"),
        ("collective_awards", _COUNT, ("次", "个", "项"), r"集体(一|二|三)等功|集体嘉奖|荣誉|奖项"),
        ("party_members", _COUNT, _PEOPLE, r"党员"),
        ("ferry_crossings", _COUNT, (), r"渡口"),
        ("border_crossings", _COUNT, (), r"出入境|通关"),
        ("visitors", _COUNT, (), r"游客|旅客"),
        ("media_followers", _COUNT, (), r"粉丝|关注"),
        ("media_views", _COUNT, (), r"浏览|播放|阅读量|点击"),
        ("media_works", _COUNT, (), r"作品|视频|短视频|推文"),
        ("grids", _COUNT, ("个", "块", "片", "格"), r"网格(?!员)|治理单元|防格"),
        ("patrols", _COUNT, ("次", "场", "场次", "趟", "轮", "人次"), r"巡逻|巡查|巡防"),
        (
            "volunteer_teams",
            _COUNT,
            _UNITS,
            r"(义警|群防|志愿|巡防|护边|平安).{0,12}(队伍|分队|支队)|分队|队伍|巡逻队|义务.{0,6}队",
        ),
        (
            "volunteers",
            _COUNT,
            _PEOPLE,
            r"义警|志愿者|群防(力量|队员)|队员|信息员|安全员|网格员|平安合伙人|队伍|群防力量|巡逻队",
        ),
        ("tips_received", _COUNT, ("条", "次", "件", "起"), r"(线索|信息|反馈|举报).{0,8}$|收到.{0,10}(信息|线索)"),
        ("suspects_caught", _COUNT, _PEOPLE + ("人次",), r"抓获|查获|嫌疑人|在逃人员|吸毒人员|打击处理"),
        ("cases_solved", _COUNT, ("起", "件", "宗"), r"破获|侦破|攻破|告破|积案|查处.{0,6}案件|案件"),
        ("visits", _COUNT, ("人次", "户", "户次"), r"走访|入户|回访|访评"),
        (
            "services_for_public",
            _COUNT,
            _SERVICES,
            r"办好事|解难事|办实事|诉求|问题|难题|困难|求助|救助|救援|救起|帮助|便民|上门|服务|帮扶|办证|预约|业务|慰问|"
            r"居住证|身份证|证件|审批|护照|通行证|户口簿|驾驶证",  # papers issued (办出护照160本)
        ),
        ("outreach_events", _COUNT, _EVENTS, r"宣传|培训|课堂|讲座|活动|开放日|宣讲|演练|基层行"),
        ("police_calls", _COUNT, _CASES, r"接处警|警情|报警|(?<!\d)110(?!\d)|接警|处警|出警"),
        ("households", _COUNT, ("户",), r"户|居民|村民|住户|农户|人家|家庭|群众"),
        ("population", _COUNT, _PEOPLE + ("口人", "口", ""), r"人口|居民|村民(?!小组)|常住|户籍|流动人员"),
        ("officers_engaged", _COUNT, _PEOPLE, r"民警.{0,6}(挂点|包联|分包|包村|驻村|担任|被.{0,12}聘)"),
        ("officers", _COUNT, _PEOPLE, r"^民警$|现有民警|民警\d|警力"),
        ("auxiliary_officers", _COUNT, _PEOPLE, r"辅警|协警"),
        ("area_km2", frozenset({"area"}), (), r"面积|辖区|管辖|所辖"),
        ("border_km", frozenset({"length"}), (), r"边境线|国境线|边界线|界江|界河|国界"),
        ("coastline_km", frozenset({"length"}), (), r"海岸线"),
        (
            "distance_km",
            frozenset({"length"}),
            ("公里", "千米"),
            r"铁路|线路|巡逻|巡线|巡查|巡防|步行|堤|安保|守护|山路|里程|河道|河段|航道|江段|流淌|行程",
        ),
    )
)

_CRIME = re.compile(r"警情|报警|(?<!诉讼)案|诈骗|犯罪|盗窃")
# What police solved, caught or seized (破获盗窃案件230起，同比上升109.1%; 抓获…人，下降14.0%) changes as a result of
# their work, not as crime does: a `change_pct` (tests/annotated/README.md), though 案 names it.
_SOLVED = re.compile(r"破获|侦破|破案|破现案|抓获|缴获|查获|打掉|打击处理")
_SHARE_OF_AFTER = re.compile(r"(左右|以上|以下|多)?的(?!增幅|降幅|比例|速度)[\u4e00-\u9fff]")
_KM2 = ("平方公里", "平方千米")
_COMPARED = re.compile(r"(同比|环比|比|较).{0,8}(下降|上升|减少|增长|增加|降|升|少|多|缩短|提高|提升)")
_OPENS_WITH_CHANGE = re.compile(r"^(同比|环比|比|较|分别|下降|上升|减少|增长|增加|降低|提升|提高)")

# Rules read on the clause up to the figure before the counted thing decides: the verb says what happened to it
# (刑事拘留13名犯罪嫌疑人 is no arrest count, 表彰…500个全国优秀公安基层单位 no enterprise count). Each needs both the
# verb in the lead and, where given, a counted thing of the right sort.
_HONOURS = (
    r"(表彰|命名|授予|评为|评出|评选|获评|参评|参赛|比武|候选|推荐|入围|入选|提名|荣记|殊荣|(获得|荣获|获授).{0,16}(称号|荣誉))"
    r"[^，,；;。]{0,60}$"
)
# an honour written right after the counted people or units (400余人次荣立个人一、二、三等功, 3个派出所入选)
_HONOURED_AFTER = re.compile(
    r"^[^，,；;。\d]{0,10}(荣立|获评|荣获|被评为|被命名|被表彰|入选|入围|获得[^，,；;。\d]{0,6}(表彰|嘉奖|记功)|受到[^，,；;。\d]{0,6}表彰)"
)  # …626名民警获得记功嘉奖, 260名优秀辅警受到表彰
VERB_RULES: tuple[tuple[str, frozenset[str], tuple[str, ...], re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (metric, frozenset(kinds), units, re.compile(lead), re.compile(subject) if subject else None)
    for metric, kinds, units, lead, subject in (
        # a ratio's size (按每50户划为一个网格, 平均每名民警要管3000多名居民) counts no households or people
        ("other", _COUNT | {"length", "area"}, (), r"每$|平均每(名|位|个|人|户)[^，,；;。\d]{0,10}$", None),
        # a distance to somewhere (离县城84公里, 从县城到派出所60余公里) is a fact of the area, not ground covered
        ("other", {"length"}, (), r"(离|距|距离)[^，,；;]{0,12}$|从[^，,；;]{0,12}到", None),
        # a rate's own change (分流率提升了9.5%, 破案率同比上升6.28%) is no crime figure even where 警情 or 案 names
        # the rate; a crime rate's (发案率, 立案率) is
        ("change_pct", _CHANGE | _RATE, ("%",), r"(?<!发案|立案)率(同比)?(提升|提高|上升|下降|降低)了?$", None),
        # an occurrence count (可防性案件共发生8697起, 刑事案件共立案11861起) is neither a case solved nor a call;
        # disputes that arose are no cases
        ("cases_occurred", _COUNT, _CASES, r"(发生|发案|立案)[^，,；;。\d]{0,8}$", r"^(?!.*(纠纷|矛盾))"),
        # 死亡1106人、受伤8811人; not a kind of accident (一次死亡3人以上的交通事故)
        ("cases_occurred", _COUNT, _PEOPLE, r"(?<!一次)(死亡|受伤|伤亡|遇难|死伤)$", None),
        ("altitude_m", {"length"}, ("米",), r"海拔[^，,；;。\d]{0,4}$", None),
        (
            "gangs_broken",
            _COUNT,
            ("个", "伙", "处", "家", "起"),
            r"(打掉|摧毁|捣毁|打垮|铲除|端掉|打击|破获)[^，,；;。]{0,30}$",  # …117个、恶势力组织945个
            r"^(?!.*案)(?=.*(组织|团伙|窝点|集团|恶势力|黑社会|涉黑|涉恶))",
        ),
        (
            "seizures",
            _COUNT | {"weight"},
            _SEIZED,
            r"(查获|缴获|收缴|扣押|暂扣|查扣|没收|查缴|起获)[^，,；;。]{0,30}$",  # 查获危险品38起126件
            r"^(?!.*(嫌疑|人员|案件|违法犯罪|账户|信息))",
        ),
        ("seizures", _COUNT, ("张",), r"断卡[”\"]?$", None),  # “断卡”886张: bank and phone cards cut off
        (
            "enforcement_actions",
            _COUNT,
            _ENFORCED,
            r"(纠正|制止|劝离|盘查|盘问|清理|清走|查纠|劝返)[^，,；;。\d]{0,14}$",
            r"^(?!.*(隐患|纠纷|矛盾))",
        ),
        # violations dealt with (查处交通违法行为25000余起); 查处 cases stays cases_solved
        (
            "enforcement_actions",
            _COUNT,
            _ENFORCED,
            r"查处[^，,；;。\d]{0,14}$",
            r"违法行为|违章|交通违法|违停|酒驾|醉驾|酒后驾驶|超速|超载|无证驾驶",  # 查处酒驾9.3万余起
        ),
        ("enforcement_actions", _COUNT, _ENFORCED, r"劝阻[^，,；;。\d]{0,14}$", r"行为|违法|违规|违章|危险"),
        (
            "traffic_volume",
            _COUNT,
            _PEOPLE + ("人次", ""),
            r"(发送|送走|运送|输送|疏运|接送)[^，,；;。\d]{0,8}旅客[^，,；;。\d]{0,6}$",
            None,
        ),
        (
            "warnings_issued",
            _COUNT,
            ("次", "条", "人次"),
            r"(预警|发出|推送|发布|处理|处置)[^，,；;。\d]{0,8}$",
            r"预警",
        ),
        (
            "disputes_found",
            _COUNT,
            ("起", "件", "宗"),  # not 次: 排查14313次 counts screenings, not disputes; not 条: clues
            r"((排查|摸排|发现|受理|接收|收案|登记|管控)(?!化解|调处|调解)|(调委会|调解组织|调解室).{0,6}(受理|接收|收案))"
            r"[^，,；;。、\d]{0,14}$",
            r"矛盾|纠纷(?!隐患)|调解|调委|矛调",  # 管控纠纷隐患1872起 counts hazards
        ),
        # a mediation verb before the count decides (调处案件3346件, 累计化解家庭婚恋、邻里纠纷千余起)
        ("disputes_mediated", _COUNT, _CASES, r"(调解|调处|化解)(成功)?(的)?[^，,；;。\d]{0,20}$", None),
        # officers sent out or drawn from elsewhere (出动警力5479人, 抽调4名民警, 派驻12名民辅警) are engaged, not staff
        (
            "officers_engaged",
            _COUNT,
            _PEOPLE + ("人次",),
            r"(出动|投入|抽调|抽出|派驻|调集|动员|驻村|驻点|下沉)[^，,；;。\d]{0,6}$",  # 民警共驻村3281人次
            r"民警|辅警|警力|警员",
        ),
        (
            "people_punished",
            _COUNT,
            _PEOPLE + ("人次",),
            # 打击处理 stays suspects_caught (tests/annotated/README.md)
            r"(刑事拘留|刑拘|行政拘留|逮捕|行政处罚|(?<!打击)处理违法|依法处理|处罚|起诉|惩戒)[^，,；;。]{0,12}$",
            None,
        ),
        (
            "units_honoured",
            _COUNT,
            ("个", "家", "所", "处"),
            _HONOURS,
            r"派出所|公安局|分局|集体|单位|所队|警务室|大队|支队",
        ),
        ("people_honoured", _COUNT, _PEOPLE + ("人次",), _HONOURS + r"|英模|荣立(个人)?[一二三]等功", None),
        (
            "materials_distributed",
            _COUNT,
            ("份", "张", "册", "本", "套"),
            r"发放|派发|分发|散发|赠送",
            r"资料|传单|手册|宣传|明白纸|海报|折页|告知书|提示卡",
        ),
        # a named event held so many times (开展“火塘夜话”86场, 举办恳谈会12期), unless it names patrols or visits
        (
            "outreach_events",
            _COUNT,
            ("场", "场次", "期", "堂", "节"),
            r"(开展|举办|组织|召开|举行)[^，,；;。\d]{0,16}$",
            r"^(?!.*(巡逻|巡查|巡防|走访|调解|调处|化解))",
        ),
        # vehicles and animals the unit is given or sends out (配备马匹30匹, 出动车辆200台次);
        # 找回走失马匹 are the public's
        (
            "equipment",
            _COUNT,
            _EQUIPMENT_UNITS,
            r"(配备|配置|配发|出动|投入|安装|布设|新增|购置)[^，,；;。\d]{0,10}$",
            r"摩托|马匹|无人机|车辆|巡逻艇|快艇|船艇",
        ),
        ("information_collected", _COUNT, ("条",), r"采集|归集|录入|汇聚|收集", r"信息|数据"),
        ("visits", _COUNT, ("户", "户次", "人次"), r"走访|入户|上门", None),
        ("visits", _COUNT, _PEOPLE, r"走访[^，,；;。\d]{0,8}$", None),  # 走访的群众有11000余人
        (
            "officers_engaged",
            _COUNT,
            _PEOPLE + ("人次",),
            r"(选派|抽调|部署|出动|投入|安排|派出(?!所))[^，,；;。]{0,8}$",
            None,
        ),
        ("population", _COUNT, _PEOPLE, r"\d(余|多)?户、?$", None),  # 229户917人, 33户、52人
        # a station's roster written chief first (所长1名、副所长1名); 34位所长 after the count may be honoured ones
        ("officers", _COUNT, _PEOPLE, r"(?<![\u4e00-\u9fff])(副)?(所长|教导员)$", None),
    )
)

# Every measure word a rule names. quantities leaves the unit of a figure written with a space before its measure word
# empty (抓获嫌疑人 1715 名); such a word, when a rule knows it, is the unit the metric rules check.
_KNOWN_UNITS = frozenset(u for rules in (METRIC_RULES, VERB_RULES) for rule in rules for u in rule[2] if u)
_SPACED_UNIT = re.compile(r"^[ \u3000\xa0]+(?:余|多)?([\u4e00-\u9fff]{1,2})")


def _unit_of(q: Quantity, sentence: str) -> str:
    """The figure's unit, or the known measure word written after a space (1715 名, 12 场次)."""
    if q.unit or not (m := _SPACED_UNIT.match(sentence[q.end :])):
        return q.unit
    word = m.group(1)
    return word if word in _KNOWN_UNITS else word[0] if word[0] in _KNOWN_UNITS else ""


# Officers engaged in a role written after them (80名民警被辖区9所中小学聘为“法治班主任”, 30名民警担任网格长).
_ENGAGED_AFTER = re.compile(r"^[^，,；;。\d]{0,6}(被[^，,；;。]{0,12}聘|担任|挂点|包联|包村|驻村|分包|下沉)")
_OFFICERS = re.compile(r"民警|辅警|警力|警员")
# Events prevented did not happen (群体性上访26起…得以成功防止); people 对…予以行政拘留 were punished.
_PREVENTED_AFTER = re.compile(r"^[^，,；;。]{0,30}(得以|被)(成功)?(防止|避免|制止|预防)")
_PUNISHED_AFTER = re.compile(
    r"^[^，,；;。\d]{0,10}(作了|作出|进行了?|予以|给予|依法)(行政处罚|刑事拘留|行政拘留|处罚|拘留|逮捕)"
)
# One or two banners or letters written in words (送来一面锦旗): one visit's thanks
_SMALL_IN_WORDS = re.compile(r"[一两二三][面封份个件]")
# People hurt or killed written after them (造成44人受伤), and opinions adopted (1800余条被采纳)
_HURT_AFTER = re.compile(r"(受伤|死亡|伤亡|遇难|重伤|轻伤)")
_ADOPTED_AFTER = re.compile(r"[^，,；;。\d]{0,3}(被)?(采纳|采用)")
# A fraction written as one (一半, 三分之一, 六成) taken from a whole named before it (这些人里一半以上, 报警电话几乎有
# 三分之一) is a share; 承担一半责任 or 少发近六成 are not.
_FRACTION = re.compile(r"分之|半|成")
_PART_OF = re.compile(r"(里|中|其中|有)$")

_UNITS_HONOURED = next(i for i, rule in enumerate(VERB_RULES) if rule[0] == "units_honoured")

# An honours process told around the count rather than right before it (19个公安派出所进入申报参评…, 从中择优挑出12个
# 派出所同台比武, 10位公安派出所所长…): the units or people counted are its candidates, contestants or winners. The
# pool they were picked from (在全市900余个派出所里层层选拔, 从363家派出所的所长中胜出) is not.
_HONOUR_PROCESS = re.compile(
    r"命名|候选|比武|参赛|参评|评选|评出|评议|推荐|申报|入围|入选|提名|选拔|择优|表彰|称号|十佳|角逐|胜出|获评|"
    r"荣获|殊荣|展播"
)
_HONOURED_UNIT = re.compile(r"^[^，,；;。\d]{0,16}(派出所|公安局|分局|所队|警务室)")
_HONOURED_PERSON = re.compile(r"^[^，,；;。\d]{0,16}(“[^”]{2,8}”|所长|候选人|英模|标兵|卫士|先锋|之星|能手)")
# an honorific title in quotes right after the people is evidence enough (20位“平安卫士”, 10名“最美辅警”)
_TITLED_PEOPLE = re.compile(r"^“[^”]{0,8}(卫士|标兵|之星|能手|先锋|楷模|模范|英雄|十佳|最美[^”]{1,6})”")
_POOL_BEFORE = re.compile(r"(从|在)[^，,；;。\d]{0,10}$")
_POOL_AFTER = re.compile(r"^[^，,；;。\d]{0,20}(里|中|之中)(层层|择优|选拔|挑|胜出|脱颖)")


def _honours_process(q: Quantity, unit: str, sentence: str) -> str | None:
    """units_honoured / people_honoured for a count of units or titled people in a sentence about an honours
    process, unless it is the pool the honoured were picked from."""
    after, lead = sentence[q.end :], _clause_before(sentence, q.start)
    if _POOL_BEFORE.search(lead) and _POOL_AFTER.search(after):
        return None
    if unit in _PEOPLE and _TITLED_PEOPLE.search(after):
        return "people_honoured"
    if not _HONOUR_PROCESS.search(sentence):
        return None
    if unit in ("个", "家", "所") and _HONOURED_UNIT.search(after):
        return "units_honoured"
    if unit in _PEOPLE and _HONOURED_PERSON.search(after):
        return "people_honoured"
    return None


# one occasion's length (最远一次行程超过300公里, 有一次走了20公里), not the ground a unit covers
_ONE_TRIP = re.compile(r"(最远|最长|有)(的)?一次")
# The metrics the annotated corpus's third round added (tests/annotated/README.md): never read inside a story.
_ROUND_THREE = frozenset(
    {"individual_awards", "equipment", "police_units", "organisations", "police_zones", "people_engaged"}
)
# …and of the fourth that count events or things of one case (日前…暂扣车辆4辆, 一人受伤, 送来一面锦旗)
_ROUND_FOUR_EVENTS = frozenset(
    {
        "thanks_received",
        "gangs_broken",
        "seizures",
        "cases_occurred",
        "traffic_volume",
        "work_teams",
        "enforcement_actions",
        "warnings_issued",
        "opinions_collected",
    }
)
_NEVER_IN_A_STORY = _ROUND_THREE | _ROUND_FOUR_EVENTS
# Metrics named only by the counted thing itself: 监控 or 部门 elsewhere in a clause says nothing about its figures.
_SUBJECT_ONLY = frozenset({"organisations", "police_zones", "equipment", "neighbourhoods", "townships", "work_teams"})
# One person's own citations (荣立个人二等功1次, 三等功1次, 获嘉奖3次), not a unit's (集体二等功 is collective_awards).
_AWARD = re.compile(r"[一二三]等功|嘉奖")
# Police stations and units counted in an area or a programme (全市172个公安派出所, 业务警种16个).
_POLICE_UNIT = re.compile(r"(派出所|公安局|公安分局|分局|警种|户籍所|公安处)$")
# …written after a count, with only modifiers between (363 家派出所, 6个基层派出所; not 5个村与派出所)
_POLICE_UNIT_AFTER = re.compile(
    r"^\s*[个家所处]?[^，,；;。\d的与和及、同跟到在对向]{0,6}?(派出所|公安局|分局|户籍所|公安处)"
)
# People outside the police given a role in the unit's work (路长, 路管员, 联络员).
_ROLE = re.compile(r"路长|路管员|联络员|楼栋长|楼长|中心户长|治保主任")
# People taking part: written after them (30余人到场, …参与了评判, 300余人组成的…微信群) or before them (参与投票的
# …360万市民, 群里已有1580人).
_TAKES_PART_AFTER = re.compile(
    r"^[^，,；;。]{0,30}(到场|出席|聆听|观看|(参与|参加)了?(投票|评判|评议|评选))|^[^，,；;。\d]{0,6}组成的[^，,；;。]{0,12}群"
)
_TAKES_PART_BEFORE = re.compile(
    r"(参与|参加)(投票|评判|评议|评选)[^，,；;。\d]{0,8}$|群(?![众防体租落])[^，,；;。\d]{0,10}(有|达|超过)$"
)
_NOT_ENGAGED = re.compile(r"民警|辅警|警力|警员|义警|志愿|队员|网格员|党员")


# A demonstrative before the count refers back to things already counted (这两个调委会): no new figure's evidence.
_REFERS_BACK = re.compile(r"[这那该此][\s]*$")


def _counts_subject(q: Quantity, subject: str, lead: str, sentence: str) -> bool:
    """Whether the figure counts its subject: the subject written right after it (12个派出所) or right before it
    (工作站18个), not a noun further back (调解室随即组织两家调解 counts families, not rooms), and no demonstrative
    refers back to things counted already (这两个调委会)."""
    if not subject or _REFERS_BACK.search(lead):
        return False
    return subject in sentence[q.end : q.end + len(subject) + 6] or lead.rstrip(" \u3000").endswith(subject)


def _counted_by_evidence(
    q: Quantity, unit: str, subject: str, lead: str, sentence: str, counted_here: bool
) -> str | None:
    """individual_awards, police_units and people_engaged, each from its own evidence: an award that is no unit's
    counted in occasions, a count of police stations that no honours process names, people in a role or taking
    part who are neither police nor volunteers."""
    if unit in ("次", "项") and _AWARD.search(subject) and "集体" not in lead + subject:
        return "individual_awards"
    police = (
        counted_here
        and _POLICE_UNIT.search(subject)
        or _POLICE_UNIT.search(lead.rstrip(" \u3000"))  # 业务警种16个
        or _POLICE_UNIT_AFTER.match(sentence[q.end :])
    )
    if unit in ("个", "家", "所", "处") and police and not _REFERS_BACK.search(lead):
        return _honours_process(q, unit, sentence) or "police_units"
    people = unit in _PEOPLE + ("人次", "户") or (unit == "" and q.value is not None and q.value >= 10000)
    if not people or _NOT_ENGAGED.search(subject + lead[-12:]):
        return None
    if unit in _PEOPLE and _ROLE.search(subject):
        return "people_engaged"
    if _TAKES_PART_AFTER.search(sentence[q.end :]) or _TAKES_PART_BEFORE.search(lead):
        return "people_engaged"
    return None


# Counted things that introduce a list rather than measure work (五项措施, 三大工作机制, 四个大字).
_LIST_LEAD = re.compile(r"^(大)?(措施|举措|机制|工作机制|原则|目标|任务|环节|方面|步骤|大字|字|要素|层|层面)")
_SERVICE_YEARS = re.compile(r"(建所|建队|成立|组建|从警)[一二两三四五六七八九十\d]+年")
_CLAUSE_END = re.compile(r"[，,；;。！？!?：:﹐﹔]")  # an enumeration (、) does not end a clause
# a space between two words ends a headline's clause (重复报警数量降五成 安全感满意度双提升)
_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?、：:﹐﹔]|(?<=[\u4e00-\u9fff])[ \u3000](?=[\u4e00-\u9fff])")
_NOUN_TAGS = ("n", "vn", "nz", "nt", "ns", "nr", "l", "an")
# comparisons written between a subject and its change (…同比下降, …与去年同期相比分别下降)
_NON_NOUN_TAIL = re.compile(r"(同比|环比|与去年同期相比|较去年同期|与上年同期相比)$")
_LEADING_NOISE = re.compile(r"^(共|累计|先后|已|有|现有|目前|其中|共有|达|分别|全年|成功|主动|及时|一共)+")


@dataclass(frozen=True)
class Statistic:
    metric: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    unit: str
    qualifier: str | None
    approx: bool
    change: str | None
    comparison: str | None
    period: Period | None
    subject: str
    text: str
    start: int  # span of the figure in the text given to find_statistics
    end: int
    sentence_start: int
    sentence_end: int


def _clause_before(sentence: str, pos: int) -> str:
    """The text from the last clause end before `pos` up to it; an enumeration (、) does not end a clause."""
    left = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, pos)), default=0)
    return sentence[left:pos]


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)), len(sentence))
    return left, right


def _trailing_nouns(text: str) -> str:
    """The noun phrase that ends `text` once trailing verbs and adverbs are set aside (…队伍已发展到 → 队伍),
    keeping quoted names and enumerations whole (“睦洲义警”队伍, 刑事警情、治安警情)."""
    words = list(pos_tokenizer().cut(text))
    picked: list[str] = []
    quoted = predicate = False
    for pair in reversed(words):
        if pair.word == "”":
            quoted = True
        if not picked and pair.flag == "v":
            predicate = True  # 发展到, 达到: the verbal noun before it is the predicate, not the counted thing
            continue
        if not picked and predicate and pair.flag == "vn":
            continue
        if quoted or pair.flag.startswith(_NOUN_TAGS) or (picked and pair.word in ("和", "、", "及")):
            picked.append(pair.word)
            quoted = quoted and pair.word != "“"
        elif picked:
            break
    return "".join(reversed(picked)).strip("和、及")


def _leading_nouns(text: str, lenient: bool = True) -> str:
    """The noun phrase that opens `text`: a quoted name (with a noun after it), or nouns with any verbs that lead
    into them (攀爬入室…), without a leading verb that governs another (组成调处专业队 → 调处专业队). A verb after a
    noun ends the phrase: 作品吸引粉丝 is a clause."""
    if text.startswith("“") and (close := text.find("”")) > 0:
        rest = _leading_nouns(text[close + 1 :], lenient=False) if text[close + 1 : close + 2] != "“" else ""
        return text[: close + 1] + rest
    words = list(pos_tokenizer().cut(text[:12]))
    run: list[tuple[str, str]] = []
    for pair in words:
        # jieba tags some one-character nouns oddly (村 is "zg"), so an opening word only has to be no verb
        opening_word = lenient and not run and pair.word.isalpha() and pair.flag != "v"
        if not (pair.flag.startswith(_NOUN_TAGS) or pair.flag == "v" or opening_word):
            break
        if pair.flag == "v" and run and run[-1][1] != "v":
            break
        run.append((pair.word, "n" if opening_word else pair.flag))
    while run and run[-1][1] == "v":
        run.pop()
    while len(run) > 1 and run[0][1] == "v" and run[1][1] == "v":
        run.pop(0)
    return "".join(word for word, _ in run) if any(f != "v" for _, f in run) else ""


def _respectively(sentence: str, q: Quantity) -> str | None:
    """The i-th of an enumerated subject for the i-th figure after 分别 (刑事案件、治安案件…分别下降15.8%、11.3%)."""
    clause = _clause_before(sentence, q.start)
    at = clause.rfind("分别")
    if at < 0:
        return None
    items = re.split(r"[、和及]", _trailing_nouns(_NON_NOUN_TAIL.sub("", clause[:at])))
    index = clause[at:].count("、")
    return items[index] if len(items) > 1 and index < len(items) else None


def _subject(sentence: str, q: Quantity, clause: tuple[int, int]) -> str:
    """The counted thing as written: the noun phrase after the figure, else the one before it."""
    if spread := _respectively(sentence, q):
        return spread
    after = sentence[q.end : clause[1]]
    after = after.split("的")[-1] if "的" in after[:12] else after
    if not after.startswith("“"):
        after = re.split(r"[在于被将把从向对与和及等]", after, maxsplit=1)[0]
    if after and not re.match(r"[以上左右]", after) and (noun := _leading_nouns(after)):
        return noun
    # the subject before a figure may be an enumeration (刑事警情、治安警情同比下降…), so look back to the clause end
    before = _LEADING_NOISE.sub("", _clause_before(sentence, q.start).strip())
    return _trailing_nouns(before) or before[-8:]


def _wide_lead(sentence: str, pos: int) -> str:
    """The clause before a figure, with the clause before it where this one opens with the comparison itself
    (…比去年同期下降了58.9%, 分别下降了18%): that is where the thing that changed is named."""
    lead = _clause_before(sentence, pos)
    left = pos - len(lead)
    if left > 0 and _OPENS_WITH_CHANGE.match(lead.strip()):
        return _clause_before(sentence, left - 1) + lead
    return lead


_NUMERAL = re.compile(r"\d|[一二两三四五六七八九十百千万]+[个名人起件次户家所处条项支]")
_LEVELS_THEN_HEAD = re.compile(r"^([^、]{1,4}(级|类|性|型)、)+[^、]{1,8}$")


def _shared_head(sentence: str, q: Quantity) -> str:
    """The rest of the figure's clause when it is an enumeration of levels or kinds sharing one head (120多个省级、
    市级荣誉 counts 荣誉; 8名女警为骨干、…志愿者 is two things, not one)."""
    end = next((m.start() for m in _CLAUSE_END.finditer(sentence, q.end)), len(sentence))
    rest = sentence[q.end : end]
    return rest if _LEVELS_THEN_HEAD.match(rest) and not _NUMERAL.search(rest) else ""


def _metric(q: Quantity, context: str, subject: str, sentence: str = "") -> str:
    """What the figure measures: a verb before it that decides (VERB_RULES) or one written after it (…得以防止,
    对…予以行政拘留, …被聘为, …荣立), then the counted thing, then the words around it; a signed change no rule names
    is a `change_pct`, a fraction of a whole named before it a `share_pct`, and a count in an honours process an
    honour. A metric takes only the units it allows."""
    lead, unit = _clause_before(sentence, q.start), _unit_of(q, sentence)
    # the counted thing, also as written around the figure (表彰了100个全国优秀公安局: the subject is only 全国)
    counted = lead[-20:] + subject + (context.split(q.text, 1)[-1][:12] if q.text in context else "")
    for metric, kinds, units, verb, thing in VERB_RULES:
        fits = q.kind in kinds and (not units or unit in units)
        if fits and verb.search(lead) and (thing is None or thing.search(counted)):
            return metric
    if q.kind in _COUNT and _PREVENTED_AFTER.search(sentence[q.end :]):
        return "other"
    if unit in _PEOPLE and _HURT_AFTER.match(sentence[q.end :]):
        return "cases_occurred"  # 交通事故造成44人受伤、20人死亡
    if unit in ("条", "件") and _ADOPTED_AFTER.match(sentence[q.end :]):
        return "opinions_collected"  # (3300余条意见建议里,)已有1800余条被采纳
    if unit in _PEOPLE and lead.endswith("对") and _PUNISHED_AFTER.search(sentence[q.end :]):
        return "people_punished"
    if unit in _PEOPLE and _OFFICERS.search(subject) and _ENGAGED_AFTER.search(sentence[q.end :]):
        return "officers_engaged"
    if q.kind in _COUNT and _HONOURED_AFTER.search(sentence[q.end :]):
        if unit in _PEOPLE + ("人次",):
            return "people_honoured"
        if unit in ("个", "家", "所") and VERB_RULES[_UNITS_HONOURED][4].search(counted):
            return "units_honoured"
    counted_here = _counts_subject(q, subject, lead, sentence)
    if q.kind in _COUNT and (named := _counted_by_evidence(q, unit, subject, lead, sentence, counted_here)):
        return named
    candidates = [
        (metric, pattern)
        for metric, kinds, units, pattern in METRIC_RULES
        if q.kind in kinds and (not units or unit in units)
    ]
    # a sum's verb may stand before an enumeration of what it was (为群众追回薪资、欠款等50余万元)
    for text in (subject, _shared_head(sentence, q), *((context, lead) if q.kind == "money" else (context,))):
        for metric, pattern in candidates:
            if text and pattern.search(text) and (metric not in _SUBJECT_ONLY or text is subject and counted_here):
                return metric
    # the counted thing written right before the figure, where the subject came out cut (警车200余台次,
    # 人民调解组织 268个)
    tail = lead.rstrip(" \u3000")[-10:]
    for metric, pattern in candidates:
        if (
            metric in _SUBJECT_ONLY
            and not _REFERS_BACK.search(lead)
            and any(m.end() == len(tail) for m in pattern.finditer(tail))
        ):
            return metric
    if q.unit == "%" and (q.kind == "change" or q.kind == "percent" and _COMPARED.search(context)):
        # what changed may be written before the clause (…刑事案件、治安案件…与上年相比，分别下降了18%、…)
        return "crime_change_pct" if _CRIME.search(_wide_lead(sentence, q.start)) else "change_pct"
    if q.kind == "percent" and _FRACTION.search(q.text) and _PART_OF.search(lead):
        return "share_pct"
    if q.kind == "percent" and "分之" in q.text and re.match(r"[\u4e00-\u9fff]", sentence[q.end : q.end + 1]):
        return "share_pct"  # 落实三分之一警力值班备勤: a fraction of the thing named after it
    if q.kind == "percent" and q.unit == "%" and _SHARE_OF_AFTER.match(sentence[q.end :]):
        return "share_pct"  # 全市62.6%的社区实现了“八无”, 50%左右的交警大队: a part of the things named after it
    if q.kind == "area" and q.unit in _KM2:
        return "area_km2"  # square kilometres measure a place's area (a room's 平方米 does not)
    return (_honours_process(q, unit, sentence) if q.kind in _COUNT else None) or "other"


def _metric_or_story(q: Quantity, context: str, subject: str, sentence: str) -> str:
    """A story's count is `incidental`; so is any figure no metric names in a sentence that tells one case
    (偷走了6500元现金, 约5米宽的田埂): the story's, not the station's."""
    if is_incidental(sentence, q):
        return "incidental"
    metric = _metric(q, context, subject, sentence)
    if metric == "crime_change_pct" and _SOLVED.search(_wide_lead(sentence, q.start)):
        metric = "change_pct"
    if metric in _NEVER_IN_A_STORY and is_story(sentence):
        return "incidental"  # the vehicles, posts or people of one event (日前…30余人到场) are the story's
    if metric == "thanks_received" and (_SMALL_IN_WORDS.match(q.text) or _REFERS_BACK.search(sentence[: q.start])):
        return "incidental"  # 送来一面锦旗, 把两面锦旗送到所里, 这两面锦旗: one visit's thanks, not a tally
    if metric == "distance_km" and _ONE_TRIP.search(_clause_before(sentence, q.start)):
        return "incidental"  # 最远一次行程超过300公里: one trip's length (tests/annotated/README.md), no ground covered
    return "incidental" if metric == "other" and is_story_detail(sentence, q) else metric


def _period_for(sentence: str, q: Quantity) -> re.Match[str] | None:
    """The period phrase of the figure's own sentence nearest before it. A rate (每月, 日均) governs only the
    figures after it, and a date written inside a clause (成立于1959年, …) only that clause's figures; a period
    written after the figure is not taken (…常住人口6000余人,去年接待游客… : 去年 dates the visitors only)."""
    governing = None
    for m in PERIOD_PATTERN.finditer(sentence):
        if m.end() > q.start:
            break
        text = m.group("p")
        if is_single_day(text) or _COMPARED_WITH.search(sentence, max(0, m.start() - 2), m.start()) and (
            _COMPARISON_BASE.match(sentence, m.end()) or _CHANGED_AFTER.match(sentence, m.end())
        ):
            continue  # 与2009年同比, 比2022年减少19.77%: the year compared with, not the period counted
        if _VALUE_AFTER.match(sentence, m.end()):
            continue  # 从2020年的88%: the year of that value alone (see _YEAR_OF_VALUE)
        inside_clause = is_rate_period(text) or (is_bare_point(text) and not _opens_clause(sentence, m))
        if inside_clause and _ends_its_clause(sentence, m.end(), q.start):
            continue
        governing = m
    return governing


# a year written right before its value (调解率从2020年的88%提高到2024年的95%): that value's year
_YEAR_OF_VALUE = re.compile(r"(?<![\d年])(?P<y>(?:19|20)\d{2}\s*年)的$")
_VALUE_AFTER = re.compile(r"的\s*\d")
_COMPARISON_BASE = re.compile(r"\s*(同比|相比|同期|比较|相较)")
_CHANGED_AFTER = re.compile(r"\s*(下降|上升|减少|增长|增加|降低|提高|提升|多|少)")
_COMPARED_WITH = re.compile(r"(与|比|较|和|跟)\s*$")
# a clause that goes on about the same count (…接到100余起警情，其中矛盾纠纷占比超60%) keeps its period
_SAME_COUNT = re.compile(r"\s*(其中|同比|环比|分别|占|与|较|比(?!例))")


def _ends_its_clause(sentence: str, start: int, end: int) -> bool:
    """Whether a clause ends between `start` and `end`, not counting clauses that go on about its count (其中 …)."""
    return any(not _SAME_COUNT.match(sentence, m.end()) for m in _CLAUSE_END.finditer(sentence, start, end))


# A streak written before a figure in its clause (去年,…刑事发案数已连续4年降幅达40%以上): the figure holds over the
# streak's years, not the sentence's period, so it has none (tests/annotated/README.md: streaks stay null)
_STREAK_BEFORE = re.compile(r"连续[一二两三四五六七八九十\d]+(?:年|个月|届)")
_RANGE = re.compile(r"[至到—–~-]")

# A source's lead-in before the sentence proper (据了解，2022年保定公安…)
_LEAD_IN = re.compile(r"(?:据了解|据悉|据统计|据介绍|数据显示|统计显示|记者了解到|记者获悉)[，,]\s*")
# A bare year opening the sentence, its subject right after (2024年甘肃公安破获…,返还…): the sentence's year. Not a
# month (去年10月的一天: one event), a relative year (今年公安部部署…: the event's), a year something began
# (2006年开始…以后) or a fact sheet's field (1981年8月辖区概况:).
_OPENING_YEAR = re.compile(r"(?:19|20)\d{2}\s*年$")
_STARTED_AFTER = re.compile(r"\s*(?:开始|起|以后|之后|后|以前|前|[^，,；;。]{0,8}[:：])")


def _opens_clause(sentence: str, m: re.Match[str]) -> bool:
    """Whether the date opens its clause and so the rest of the sentence: alone before a comma (2023年,辖区…) or
    after a conjunction or short adverb (…,可去年辖区…下降50%,…下降70%)."""
    lead = _clause_before(sentence, m.start()).strip(" “”\"'")
    if not lead:  # 2023年,辖区…; 2024年甘肃公安破获…,返还… (1981年8月辖区概况: is a field, not a clause)
        return sentence[m.end() : m.end() + 1] in ("，", ",") or (
            (m.start() == 0 or bool(_LEAD_IN.fullmatch(sentence, 0, m.start())))
            and bool(_OPENING_YEAR.match(sentence, m.start(), m.end()))
            and not _STARTED_AFTER.match(sentence, m.end())
        )
    return bool(re.fullmatch(r"在|于|从|自|而|但|可|单是|仅|其中|同时|此外|另外", lead))


# Words that make every figure after them in the clause a total (共开展共建活动34次、平安基层行18次). Tokens, not
# substrings: jieba keeps 共建/共享/共同 whole, so the 共 of a compound is never read as "in total".
_TOTAL_WORDS = frozenset({"共", "共有", "共计", "累计", "总计", "合计", "总共", "一共"})


def _total_marker(sentence: str, q: Quantity) -> str | None:
    """共/累计 written before the figure in its clause (an enumeration with 、/和 does not end the clause)."""
    for word in tokenizer().lcut(_clause_before(sentence, q.start), HMM=False):
        if word in _TOTAL_WORDS:
            return word[-2:] if word in ("累计", "总计", "合计", "共计") else "共"
    return None


# A model's formula (“1+1+2+N”) and the counts that spell it out after it (1名社区民警、2名辅警): the formula's
# terms, not figures (tests/annotated/README.md: formula expansions are not annotated).
_FORMULA = re.compile(r"(?<![\d.])\d(?:\s*[+＋]\s*(?:\d|[NnXx]))+(?![\d.])")


def _expands_a_formula(sentence: str, q: Quantity) -> bool:
    if q.value is None or q.value > 9:
        return False
    return any(
        m.end() <= q.start and q.value in {Decimal(t) for t in re.findall(r"\d", m.group())}
        for m in _FORMULA.finditer(sentence)
    )


# "民警、驻村辅警和志愿者三支队伍": a small count in words right after the things it counts restates the list
_ENUMERATED = re.compile(r"、[^，,；;。]*(和|与|及|以及)[^，,；;。、\d]{1,12}$")
_CN_SMALL = re.compile(r"[两二三四五六七八九]")


def _restates_a_list(sentence: str, q: Quantity) -> bool:
    return bool(_CN_SMALL.match(q.text)) and bool(_ENUMERATED.search(_clause_before(sentence, q.start)))


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_statistics(
    text: str,
    sentences: Sequence[tuple[int, int]],
    published: dt.date | None = None,
    skip_spans: Sequence[tuple[int, int]] = (),
) -> list[Statistic]:
    """Statistics in `text`, sentence by sentence; figures overlapping `skip_spans` (mojibake) are ignored."""
    found: list[Statistic] = []
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        first = len(found)
        for q in find_quantities(sentence):
            # a duration is a figure only where the words around it name what it measures (metric_durations)
            timed = None if q.is_statistic else duration_metric(sentence, q) or (
                "incidental" if story_duration(sentence, q) else None
            )
            if not (q.is_statistic or timed) or _overlaps(s_start + q.start, s_start + q.end, skip_spans):
                continue
            if _SERVICE_YEARS.search(sentence[max(0, q.start - 4) : q.end]):
                continue
            clause = _clause_bounds(sentence, q.start, q.end)
            subject = _subject(sentence, q, clause)
            if _LIST_LEAD.match(sentence[q.end : q.end + 6]) or _LIST_LEAD.match(subject):
                continue
            if _restates_a_list(sentence, q) or _expands_a_formula(sentence, q):
                continue
            context = sentence[clause[0] : clause[1]]
            # a story's wait or errand, and a streak (连续8年), run over their own span, not the sentence's period
            written = None if timed in ("incidental", "streak") else _period_for(sentence, q)
            streak_before = _STREAK_BEFORE.search(_clause_before(sentence, q.start))
            if written and streak_before and not _RANGE.search(written["p"]):
                written = None  # …连续4年降幅达40%: the streak's span; a range it restates (2021年至2024年) stays
            period = resolve_period_at(sentence, written.start(), written.group("p"), published) if written else None
            if (year := _YEAR_OF_VALUE.search(sentence, max(0, q.start - 12), q.start)) and not timed:
                period = resolve_period(year.group("y"), published)  # 从2020年的88%提高到2024年的95%
            found.append(
                Statistic(
                    metric=timed or _metric_or_story(q, context, subject, sentence),
                    value=q.value,
                    low=q.low,
                    high=q.high,
                    unit=q.unit,
                    qualifier=q.qualifier
                    or (duration_qualifier(sentence, q) if timed == "streak" else _total_marker(sentence, q)),
                    approx=q.approx,
                    change=q.change,
                    comparison=q.comparison,
                    period=period,
                    subject=subject,
                    text=q.text,
                    start=s_start + q.start,
                    end=s_start + q.end,
                    sentence_start=s_start,
                    sentence_end=s_end,
                )
            )
        _compared_values_share_the_metric(found, first, text)
    return found


# A value the figure before it is compared with (报警18559起,比去年同期的18886起; 盗窃案件由去年的156起减到108起):
# the same thing counted at another time, so the same metric. A difference (少了327起) is no such value.
_COMPARED_VALUE_LEAD = re.compile(
    r"(?:(?:比|较|与|同|由|从)(?:去年|上年|前年|上一年|同期|(?:19|20)\d{2}年)(?:同期)?的?"
    r"|(?:减|降|增|升|增加|减少|下降|上升|提高|降低|回落)(?:到|至))\s*$"
)
# The next item of an enumeration after a figure (查处饮酒驾驶9起、醉酒驾驶6起、违法停车121起; 查出鸦片8袋、
# 冰毒片剂20包): the same verb governs it, so it counts the same kind of thing, unless the item names a thing of its own
# (开展社区巡逻2次、宣传活动3次; 盘查可疑人员4072人、服务群众1879人).
_NEXT_ITEM = re.compile(r"^、(?P<item>[^，,；;。！？!?、\d]{1,12})$")
_EVERY_RULE = [(m, p) for m, _, _, p in METRIC_RULES] + [(m, lead) for m, _, _, lead, _ in VERB_RULES]


def _same_thing_as_before(between: str, metric: str) -> bool:
    """The words between a figure and the one before it say it counts what that one counts."""
    if _COMPARED_VALUE_LEAD.search(between):
        return True
    item = _NEXT_ITEM.match(between)
    return item is not None and not any(m not in (metric, "other") and p.search(item["item"]) for m, p in _EVERY_RULE)


def _compared_values_share_the_metric(found: list[Statistic], first: int, text: str) -> None:
    for k in range(first + 1, len(found)):
        stat, before = found[k], found[k - 1]
        if stat.metric != "other" or not stat.unit or stat.unit != before.unit or not _named_metric(before.metric):
            continue
        if _same_thing_as_before(text[before.end : stat.start], before.metric):
            found[k] = replace(stat, metric=before.metric)


def _named_metric(metric: str) -> bool:
    return metric not in ("other", "incidental")
