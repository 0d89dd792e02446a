// The auto-lock timer with fake timers: it fires after the set minutes of no activity, any
// activity restarts the countdown, it fires once, and a stopped timer never fires.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IdleTimer, isLockShortcut, watchIdle } from "./idle";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("IdleTimer", () => {
  it("locks after the set minutes without activity, once", () => {
    const onIdle = vi.fn();
    new IdleTimer(5, onIdle);
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * 60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("restarts the countdown on activity", () => {
    const onIdle = vi.fn();
    const timer = new IdleTimer(5, onIdle);
    vi.advanceTimersByTime(4 * 60_000);
    timer.poke();
    vi.advanceTimersByTime(4 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("never fires once stopped, even when poked", () => {
    const onIdle = vi.fn();
    const timer = new IdleTimer(1, onIdle);
    timer.stop();
    timer.poke();
    vi.advanceTimersByTime(10 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});

describe("watchIdle", () => {
  it("counts the window's key presses as activity and stops listening when stopped", () => {
    const target = new EventTarget() as unknown as Window;
    const onIdle = vi.fn();
    const stop = watchIdle(target, 2, onIdle);
    vi.advanceTimersByTime(90_000);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(90_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    stop();
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(10 * 60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});

describe("isLockShortcut", () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
    ({ key: k, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods }) as KeyboardEvent;
  it("is Ctrl+L and nothing else", () => {
    expect(isLockShortcut(key("l", { ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(key("L", { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isLockShortcut(key("l"))).toBe(false);
    expect(isLockShortcut(key("l", { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isLockShortcut(key("k", { ctrlKey: true }))).toBe(false);
  });
});
