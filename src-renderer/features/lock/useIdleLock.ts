import { useEffect, useRef } from 'react';

/** What counts as someone at the workstation. Pointer movement too: a person reading moves the mouse. */
const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Calls onIdle once the page has seen no keyboard, pointer, wheel or touch input for `minutes`.
 * Activity only records a time stamp (cheap on every mouse move); one timer checks it when it is
 * due and sleeps again for the rest. While `paused` (already locked) nothing runs.
 *
 * onActive is called on activity at most every `heartbeatMs`, so the caller can tell the server the
 * user is still there (the server locks by itself after the same time without calls).
 */
export function useIdleLock({
  minutes,
  paused,
  onIdle,
  onActive,
  heartbeatMs = 60_000,
}: {
  minutes: number;
  paused: boolean;
  onIdle: () => void;
  onActive?: () => void;
  heartbeatMs?: number;
}): void {
  const callbacks = useRef({ onIdle, onActive });
  callbacks.current = { onIdle, onActive };

  useEffect(() => {
    if (paused || !(minutes > 0)) return;
    const timeoutMs = minutes * 60_000;
    let lastActivity = Date.now();
    let lastHeartbeat = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;

    const check = () => {
      const idleFor = Date.now() - lastActivity;
      if (idleFor >= timeoutMs) {
        timer = undefined;
        callbacks.current.onIdle();
        return;
      }
      timer = setTimeout(check, timeoutMs - idleFor);
    };
    const onActivity = () => {
      const now = Date.now();
      lastActivity = now;
      if (now - lastHeartbeat >= Math.min(heartbeatMs, timeoutMs / 2)) {
        lastHeartbeat = now;
        callbacks.current.onActive?.();
      }
    };

    timer = setTimeout(check, timeoutMs);
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { capture: true, passive: true });
    return () => {
      if (timer) clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [minutes, paused, heartbeatMs]);
}
