import { useEffect } from 'react';
import { useLocation } from 'wouter';

export const PATIENTS_PATH = '/patients';

/**
 * The patient search is a keystroke away on every screen: "/" (when not typing) or Ctrl+K / ⌘K
 * asks for it; the search box takes the request when it is on screen, or as soon as it mounts.
 */
let pendingFocus = false;
const listeners = new Set<() => void>();

export function requestPatientSearchFocus(): void {
  pendingFocus = true;
  for (const listener of listeners) listener();
}

/** The search box registers here: `focus` runs now for a pending request and on every later one. */
export function onPatientSearchFocusRequest(focus: () => void): () => void {
  const take = () => {
    if (!pendingFocus) return;
    pendingFocus = false;
    focus();
  };
  listeners.add(take);
  take();
  return () => {
    listeners.delete(take);
  };
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'image', 'range', 'color'].includes(target.type);
  }
  return target.getAttribute('role') === 'combobox' || target.getAttribute('role') === 'textbox';
}

/** A dialog (modal) owns the keyboard while it is open: the shortcut waits until it closes. */
function insideDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"], [aria-modal="true"]') !== null;
}

export function isPatientSearchShortcut(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.isComposing) return false;
  const commandK = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k';
  if (commandK) return !insideDialog(event.target);
  const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey;
  return slash && !isTypingTarget(event.target) && !insideDialog(event.target);
}

/** Installed once by the signed-in shell for users who may search patients. */
export function usePatientSearchShortcut(enabled: boolean): void {
  const [location, navigate] = useLocation();
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isPatientSearchShortcut(event)) return;
      event.preventDefault();
      requestPatientSearchFocus();
      if (location !== PATIENTS_PATH) navigate(PATIENTS_PATH);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, location, navigate]);
}
