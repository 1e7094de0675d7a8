"""Code tables of the kiosk card profile v1 (docs/contract/card-profile.md, §7-§9).

Pure data, no logic: sex and ethnicity code tables, the province-level region codes
that may start a citizen ID number, the refusal reason codes and their messages.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

#: §7.1 sex codes (GB/T 2261.1). "0" and "9" are valid codes but always fail §8.5.
SEX_NAMES: Final = MappingProxyType(
    {
        "0": "未知的性别",
        "1": "男",
        "2": "女",
        "9": "未说明的性别",
    }
)

#: §7.2 ethnicity codes (GB/T 3304): exactly these 58 codes are valid.
ETHNICITY_NAMES: Final = MappingProxyType(
    {
        "01": "汉族",
        "02": "蒙古族",
        "03": "回族",
        "04": "藏族",
        "05": "维吾尔族",
        "06": "苗族",
        "07": "彝族",
        "08": "壮族",
        "09": "布依族",
        "10": "朝鲜族",
        "11": "满族",
        "12": "侗族",
        "13": "瑶族",
        "14": "白族",
        "15": "土家族",
        "16": "哈尼族",
        "17": "哈萨克族",
        "18": "傣族",
        "19": "黎族",
        "20": "傈僳族",
        "21": "佤族",
        "22": "畲族",
        "23": "高山族",
        "24": "拉祜族",
        "25": "水族",
        "26": "东乡族",
        "27": "纳西族",
        "28": "景颇族",
        "29": "柯尔克孜族",
        "30": "土族",
        "31": "达斡尔族",
        "32": "仫佬族",
        "33": "羌族",
        "34": "布朗族",
        "35": "撒拉族",
        "36": "毛南族",
        "37": "仡佬族",
        "38": "锡伯族",
        "39": "阿昌族",
        "40": "普米族",
        "41": "塔吉克族",
        "42": "怒族",
        "43": "乌孜别克族",
        "44": "俄罗斯族",
        "45": "鄂温克族",
        "46": "德昂族",
        "47": "保安族",
        "48": "裕固族",
        "49": "京族",
        "50": "塔塔尔族",
        "51": "独龙族",
        "52": "鄂伦春族",
        "53": "赫哲族",
        "54": "门巴族",
        "55": "珞巴族",
        "56": "基诺族",
        "97": "其他",
        "98": "外国血统中国籍人士",
    }
)

#: §8.3 province-level codes allowed in positions 1-2 of the citizen ID number.
#: Positions 3-6 are deliberately NOT checked against any GB/T 2260 table.
PROVINCE_CODES: Final = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split()
)

#: §9.1 refusal reason codes, in table order.
REASONS: Final[tuple[str, ...]] = (
    "no_reader",
    "no_card",
    "not_identity_card",
    "card_removed",
    "card_error",
    "data_truncated",
    "bad_encoding",
    "invalid_field",
    "bad_ethnicity",
    "bad_region_code",
    "bad_check_digit",
    "birth_date_mismatch",
    "sex_mismatch",
    "not_yet_valid",
    "expired",
)

#: §9.1 example messages (Simplified Chinese). invalid_field is completed with a field name.
MESSAGES_ZH: Final = MappingProxyType(
    {
        "no_reader": "读卡器不可用，请联系工作人员",
        "no_card": "未检测到身份证，请将身份证放在读卡区",
        "not_identity_card": "无法识别此卡，请放置第二代居民身份证",
        "card_removed": "读卡时身份证被移开，请重新放置",
        "card_error": "读卡失败，请重新放置身份证",
        "data_truncated": "身份证信息不完整，请重新放置身份证",
        "bad_encoding": "身份证信息无法识别（字符编码错误）",
        "invalid_field": "身份证信息格式错误",
        "bad_ethnicity": "身份证民族代码无效",
        "bad_region_code": "公民身份号码地址码无效",
        "bad_check_digit": "公民身份号码校验位错误",
        "birth_date_mismatch": "出生日期与公民身份号码不一致",
        "sex_mismatch": "性别与公民身份号码不一致",
        "not_yet_valid": "身份证尚未生效",
        "expired": "身份证已过有效期，请使用有效证件",
    }
)

#: Calm plain-English equivalents. invalid_field is completed with a field name.
MESSAGES_EN: Final = MappingProxyType(
    {
        "no_reader": "The card reader is not available. Please ask a member of staff for help.",
        "no_card": "No ID card was found. Please place your ID card on the reader.",
        "not_identity_card": (
            "This card cannot be recognised. Please place a second-generation resident identity card on the reader."
        ),
        "card_removed": "The ID card was moved while it was being read. Please place it on the reader again.",
        "card_error": "The ID card could not be read. Please place it on the reader again.",
        "data_truncated": "The information on the ID card is incomplete. Please place it on the reader again.",
        "bad_encoding": "The information on the ID card cannot be recognised (character encoding error).",
        "invalid_field": "The information on the ID card is not in the expected format",
        "bad_ethnicity": "The ethnic group code on the ID card is not valid.",
        "bad_region_code": "The region code in the citizen ID number is not valid.",
        "bad_check_digit": "The check character of the citizen ID number is not correct.",
        "birth_date_mismatch": "The date of birth does not match the citizen ID number.",
        "sex_mismatch": "The sex on the ID card does not match the citizen ID number.",
        "not_yet_valid": "This ID card is not valid yet.",
        "expired": "This ID card has expired. Please use a valid identity document.",
    }
)

#: Field names used in invalid_field messages (keys are the §9.2 JSON names).
FIELD_NAMES_ZH: Final = MappingProxyType(
    {
        "name": "姓名",
        "sex": "性别",
        "ethnicity": "民族",
        "birth_date": "出生日期",
        "address": "住址",
        "id_number": "公民身份号码",
        "issuing_authority": "签发机关",
        "valid_from": "有效期起始日期",
        "valid_until": "有效期截止日期",
        "appended_address": "追加住址",
    }
)

FIELD_NAMES_EN: Final = MappingProxyType(
    {
        "name": "name",
        "sex": "sex",
        "ethnicity": "ethnic group",
        "birth_date": "date of birth",
        "address": "address",
        "id_number": "citizen ID number",
        "issuing_authority": "issuing authority",
        "valid_from": "start of validity",
        "valid_until": "end of validity",
        "appended_address": "additional address",
    }
)
