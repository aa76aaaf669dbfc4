"""Surnames and given-name characters, for the keyboard's names mode (``names=True``).

Surnames in rough order of how many people bear them (the census lists), compound surnames
after; polyphone surnames carry the reading a surname has (单 shan, 曾 zeng, 解 xie, 区 ou).
Given-name characters in rough order of use, ending with rarer characters that names use
and that the general frequency list buries (堃 喆 昇 珺 婧 燚).
"""

from __future__ import annotations

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = {
    "欧阳": "ou'yang", "司马": "si'ma", "上官": "shang'guan", "诸葛": "zhu'ge", "司徒": "si'tu",
    "夏侯": "xia'hou", "皇甫": "huang'fu", "尉迟": "yu'chi", "公孙": "gong'sun", "慕容": "mu'rong",
    "长孙": "zhang'sun", "宇文": "yu'wen", "令狐": "ling'hu", "东方": "dong'fang", "端木": "duan'mu",
    "万俟": "mo'qi", "单于": "chan'yu", "澹台": "tan'tai", "轩辕": "xuan'yuan", "司空": "si'kong",
    "呼延": "hu'yan", "独孤": "du'gu", "南宫": "nan'gong", "西门": "xi'men",
}
SURNAME_READINGS = {  # where a surname is not read the character's commonest way
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
    "盖": "ge", "乐": "yue", "缪": "miao", "覃": "qin", "翟": "zhai", "柏": "bai", "华": "hua",
    "曲": "qu", "那": "na", "宿": "su", "都": "du", "相": "xiang", "强": "qiang", "薄": "bo",
    "尉": "wei", "长": "chang", "万": "wan", "燕": "yan", "种": "chong", "重": "chong", "石": "shi",
    "任": "ren", "沈": "shen", "贾": "jia", "过": "guo", "召": "shao", "冼": "xian", "於": "yu",
}
GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红丹玲飞鹏辉建国文斌宇浩凯婷雪琳晶欣怡子轩涵"
    "梓博俊晨嘉思雨佳一诺萱睿泽宁慧颖倩海波鑫林峰亮成新兰凤梅春燕莉莹微蕾冰爽阳东志永龙云荣兵振福贵生"
    "祥德宏立健鸿昊天然瑞豪翔逸辰熙航铭宸皓哲悦可馨彤妍淑芬珍琴莲婉雅洁露月晓小亚家昕瑶蓉雯璐蓓艺苗翠"
    "瑾琪菲媛楠璇钰煜烨昱彬旭晖炜琦瑜毅骏锋力坤奇岩嵩森鹤松桐光明伦清源金鹏程明远义仁礼信忠孝勤俭善"
    "美惠娇婵娥霖沛润泓淼鑫磊焱垚森晗曦晴岚霏薇蔚芸茜菁蓉若依诗语梦琳琬珊瑛璟瑶珏琛瑄"
    "靖泉虹谦巍良腾凡非墨雄信民鸣智勤卫刚永庆德福寿喜乐安康宁静远航晨阳红军"
    "堃喆昇珺婧燚"
)
