// The idle timer behind auto-lock: any key or pointer activity restarts it; after the set
// minutes without any (the station's setting, read from Rust) it calls onIdle once.
export const ACTIVITY_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel"] as const;

export class IdleTimer {
  private handle: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly minutes: number,
    private readonly onIdle: () => void,
  ) {
    this.poke();
  }

  /** Activity seen: the countdown starts again. */
  poke(): void {
    if (this.stopped) return;
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = setTimeout(() => {
      this.handle = null;
      this.stopped = true;
      this.onIdle();
    }, Math.max(1, this.minutes) * 60_000);
  }

  /** No more calls (logout, lock, screen gone). */
  stop(): void {
    this.stopped = true;
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
  }
}

/** Starts an idle timer fed by the window's activity events; returns its stop function. */
export function watchIdle(target: Window, minutes: number, onIdle: () => void): () => void {
  const timer = new IdleTimer(minutes, onIdle);
  const poke = () => timer.poke();
  for (const e of ACTIVITY_EVENTS) target.addEventListener(e, poke, { passive: true });
  return () => {
    timer.stop();
    for (const e of ACTIVITY_EVENTS) target.removeEventListener(e, poke);
  };
}

/** Ctrl+L (either case, no other modifier) locks the window. */
export function isLockShortcut(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "altKey" | "metaKey" | "shiftKey">): boolean {
  return event.ctrlKey && !event.altKey && !event.metaKey && event.key.toLowerCase() === "l";
}
