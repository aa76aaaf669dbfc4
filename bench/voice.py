"""Voice guidance: time to first sound after a screen asks for a prompt (issue 13: ≤ 300 ms, cached).

``python -m bench voice [--device null] [--prompts 30]``. Thirty kiosk instructions, each
measured three ways in one run:

- baseline: the bare ``espeak-ng -v cmn-latn-pinyin --stdout`` call on the prompt's pinyin
  (worked out beforehand), to the end of its audio: the engine's own floor;
- cold: ``Voice.say`` with an empty cache, to the player started (pinyin, espeak-ng, the WAV
  fixed up, stored in the cache, volume applied, ``aplay`` started on the audio);
- cached: ``Voice.say`` again, to the player started (a file read, volume, ``aplay`` started).

"Player started" is the moment ``aplay`` has been spawned with the audio on its input; the
time to aplay's exit on ALSA's ``null`` device (which takes audio as fast as it is written) is
printed too, as the upper bound of the player's own start. The first prompt of a fresh process
also loads pypinyin's dictionaries (printed apart; ``Voice.prewarm`` at start-up pays it).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

PROMPTS = [
    "欢迎使用政务服务自助终端", "请将身份证放在感应区", "请取走您的身份证", "请扫描二维码登录",
    "请选择您要办理的事项", "请输入手机号码", "请核对您的信息", "请阅读并勾选承诺事项", "请签名",
    "正在提交，请稍候", "提交成功，请取走回执", "打印机缺纸，请联系工作人员", "网络中断，材料已保存",
    "请重新输入", "银行卡号请重新输入", "办理时限为3个工作日", "请在24小时内到窗口领取",
    "如需帮助，请拨打12345", "请按确认键继续", "返回上一页", "再听一遍", "倒计时结束后将返回首页",
    "请携带户口本原件到窗口", "您的证件已过期", "请选择预约日期", "请选择预约时间", "预约成功",
    "开放时间8:30-17:00", "本机暂停服务", "感谢您的使用，再见",
]
GOAL_MS = 300.0


def _ms(seconds: list[float]) -> str:
    values = sorted(s * 1000 for s in seconds)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"median {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  max {values[-1]:7.1f} ms"


def main() -> None:
    from kiosk.voice.cache import RenderCache
    from kiosk.voice.espeak import EspeakEngine
    from kiosk.voice.player import aplay_player
    from kiosk.voice.reading import reading_for
    from kiosk.voice.voice import Outcome, Voice

    parser = argparse.ArgumentParser(prog="bench.voice")
    parser.add_argument("--device", default="null", help="ALSA device for aplay (default: null, no sound card needed)")
    parser.add_argument("--prompts", type=int, default=len(PROMPTS))
    args = parser.parse_args()
    prompts = PROMPTS[:args.prompts]

    started = time.perf_counter()
    reading_for("你好", "zh-Hans")
    print(f"pypinyin's dictionaries loaded in {(time.perf_counter() - started) * 1000:.0f} ms (once per process)")

    baseline = []
    for text in prompts:
        reading = reading_for(text, "zh-Hans")
        started = time.perf_counter()
        subprocess.run(["espeak-ng", "-v", reading.voice, "-s", "150", "--stdout"], input=reading.text.encode(),
                       capture_output=True, check=True)
        baseline.append(time.perf_counter() - started)

    player = aplay_player(args.device)
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as folder:
        voice = Voice(EspeakEngine(), player, RenderCache(Path(folder), 50 * 1024 * 1024))
        voice.engine.identity  # noqa: B018 (espeak-ng --version, asked once at start-up)
        runs: dict[str, tuple[list[float], list[float]]] = {"cold": ([], []), "cached": ([], [])}
        for name, (to_start, to_exit) in runs.items():
            for text in prompts:
                started = time.perf_counter()
                utterance = voice.say(text)
                if utterance.wait(30) is not Outcome.PLAYED or utterance.from_cache != (name == "cached"):
                    raise SystemExit(f"bench.voice: {text!r}: {utterance.outcome}, from cache: {utterance.from_cache}")
                to_start.append(time.perf_counter() - started)
                player.wait(30)
                to_exit.append(time.perf_counter() - started)
        voice.close()

    base = statistics.median(baseline)
    print(f"{len(prompts)} prompts, aplay on ALSA device {args.device!r}")
    print(f"  baseline  bare espeak-ng call     {_ms(baseline)}")
    for name, (to_start, to_exit) in runs.items():
        ratio = statistics.median(to_start) / base
        print(f"  {name:<8}  to the player started   {_ms(to_start)}  ({ratio:.2f}x baseline)")
        print(f"  {name:<8}  to aplay's exit         {_ms(to_exit)}")
    worst = max(runs["cached"][1]) * 1000
    verdict = "met" if worst <= GOAL_MS else "NOT met"
    print(f"goal: cached first sound ≤ {GOAL_MS:.0f} ms including the player's start: {verdict} "
          f"(worst {worst:.1f} ms to aplay's exit)")


if __name__ == "__main__":
    main()
