import { zodResolver } from '@hookform/resolvers/zod';
import { Anchor, Box, Button, Center, Divider, Group, Paper, PasswordInput, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useEffect, useLayoutEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { Me } from '../../../src-shared/contract/auth.js';
import { contract } from '../../../src-shared/contract/index.js';
import { enteredPassword } from '../../../src-shared/schemas/user.js';
import { ApiError, errorMessage } from '../../api/client.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifyError } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { useSignIn, useSignOut, useUnlock } from '../auth/session.js';

const TITLE_ID = 'lock-screen-title';

/**
 * The lock screen showing now, if any. While it shows, no key reaches the screens underneath:
 * Escape would close an open dialog (and lose what was typed in it), a shortcut could navigate
 * away. This listener is added when the app loads, before any dialog adds its own on the window,
 * so it runs first and can stop them.
 */
let activeLockScreen: HTMLElement | null = null;
if (typeof window !== 'undefined') {
  window.addEventListener(
    'keydown',
    (event) => {
      if (!activeLockScreen) return;
      const inside = event.target instanceof Node && activeLockScreen.contains(event.target);
      if (event.key === 'Escape' || !inside) event.stopImmediatePropagation();
    },
    { capture: true },
  );
}

/**
 * Keeps everything outside the lock screen out of reach while it shows: not focusable, not
 * clickable, not read out (the `inert` attribute), including dialogs and menus that were open in
 * portals and anything added while locked. Undone exactly on unlock, so open screens carry on.
 */
function useInertOutside(container: HTMLElement): void {
  useLayoutEffect(() => {
    const madeInert = new Set<Element>();
    const shut = (element: Element) => {
      if (element === container || element.hasAttribute('inert') || element.tagName === 'SCRIPT') return;
      element.setAttribute('inert', '');
      madeInert.add(element);
    };
    for (const element of Array.from(document.body.children)) shut(element);
    const observer = new MutationObserver((records) => {
      for (const record of records) for (const node of Array.from(record.addedNodes)) if (node instanceof Element) shut(node);
    });
    observer.observe(document.body, { childList: true });
    return () => {
      observer.disconnect();
      for (const element of madeInert) element.removeAttribute('inert');
    };
  }, [container]);
}

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Keeps Tab inside the element: past the last control to the first, and back. */
function trapTab(within: HTMLElement, event: KeyboardEvent): void {
  const tabbable = Array.from(within.querySelectorAll<HTMLElement>(TABBABLE)).filter((element) => element.tabIndex >= 0 && element.offsetParent !== null);
  const first = tabbable[0];
  const last = tabbable.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !within.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !within.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/** While locked the tab says so; on unlock the screen underneath gets its title back. */
function useLockedTitle(): void {
  useEffect(() => {
    const previous = document.title;
    document.title = 'Workstation locked · Asclepia';
    return () => {
      document.title = previous;
    };
  }, []);
}

/** Focus goes back to where the user was typing when the lock came down. */
function useFocusReturnOnUnlock(): void {
  const [previous] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      if (previous instanceof HTMLElement && previous.isConnected && previous !== document.body) {
        // After the attribute `inert` is gone from its ancestors (the other cleanup, same commit).
        setTimeout(() => previous.focus({ preventScroll: true }), 0);
      }
    },
    [previous],
  );
}

/**
 * Drawn over the signed-in app (which stays mounted, so unsaved input survives) when the
 * workstation locks: the same user unlocks with their password, or another user signs in
 * (the server then ends the previous session, and the app starts afresh for the new user).
 */
export function LockScreen({ me, clinicName }: { me: Me; clinicName: string | null }) {
  const [container] = useState(() => {
    const element = document.createElement('div');
    element.dataset.lockScreen = '';
    return element;
  });
  useLayoutEffect(() => {
    document.body.append(container);
    activeLockScreen = container;
    // Keys typed here stop here: listeners further up (shortcuts of the screens underneath) never see
    // them. Tab and Shift+Tab wrap around inside the lock screen.
    const keepKeysHere = (event: KeyboardEvent) => {
      event.stopPropagation();
      if (event.key === 'Tab') trapTab(container, event);
    };
    container.addEventListener('keydown', keepKeysHere);
    return () => {
      container.removeEventListener('keydown', keepKeysHere);
      if (activeLockScreen === container) activeLockScreen = null;
      container.remove();
    };
  }, [container]);
  useInertOutside(container);
  useLockedTitle();
  useFocusReturnOnUnlock();
  const [mode, setMode] = useState<'unlock' | 'switch'>('unlock');
  const signOut = useSignOut();

  return createPortal(
    <Box
      role="dialog"
      aria-modal="true"
      aria-labelledby={TITLE_ID}
      pos="fixed"
      inset={0}
      style={{ zIndex: 10_000, overflowY: 'auto' }}
      bg="var(--mantine-color-gray-1)"
      py={56}
      px="md"
    >
      <Center>
        <Paper withBorder shadow="md" radius="lg" p={{ base: 'md', sm: 'xl' }} w="100%" maw={440}>
          <Stack gap="lg">
            <Group gap="md" wrap="nowrap" align="flex-start">
              <ThemeIcon size={48} radius="xl" variant="light" color="indigo" aria-hidden>
                <IconLock size={26} />
              </ThemeIcon>
              <div>
                <Title order={1} id={TITLE_ID} fz="h2">
                  Workstation locked
                </Title>
                <Text c="dimmed" fz="sm">
                  {clinicName ?? 'Asclepia'}
                </Text>
              </div>
            </Group>
            {mode === 'unlock' ? <UnlockForm me={me} /> : <SwitchUserForm me={me} />}
            <Divider />
            <Group justify="space-between" gap="xs">
              {mode === 'unlock' ? (
                <Anchor component="button" type="button" fz="sm" onClick={() => setMode('switch')}>
                  Sign in as someone else
                </Anchor>
              ) : (
                <Anchor component="button" type="button" fz="sm" onClick={() => setMode('unlock')}>
                  Unlock as {me.displayName}
                </Anchor>
              )}
              <Button
                variant="subtle"
                color="gray"
                size="compact-sm"
                loading={signOut.isPending}
                onClick={() => signOut.mutate(undefined, { onError: (error) => notifyError('Not signed out', errorMessage(error)) })}
              >
                Sign out
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Center>
    </Box>,
    container,
  );
}

const unlockSchema = z.object({ password: enteredPassword, code: z.string().trim().max(20, 'That code is too long') });
type UnlockValues = z.infer<typeof unlockSchema>;

function UnlockForm({ me }: { me: Me }) {
  const unlock = useUnlock();
  const [askCode, setAskCode] = useState(me.twoFactorEnabled);
  const form = useForm<UnlockValues>({ resolver: zodResolver(unlockSchema), defaultValues: { password: '', code: '' } });
  const { errors } = form.formState;
  const { setFocus } = form;
  useEffect(() => setFocus('password'), [setFocus]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        await unlock.mutateAsync({ password: values.password, code: askCode && values.code ? values.code : undefined });
      } catch (error) {
        if (error instanceof ApiError && error.fields.code) {
          setAskCode(true);
          form.resetField('code');
          if (values.code) form.setError('code', { type: 'server', message: error.fields.code });
          setTimeout(() => setFocus('code'), 0);
          return;
        }
        applyServerFieldErrors(error, form.setError, ['password']);
        form.resetField('password', { keepError: true });
        setFocus('password');
      }
    },
    () => unlock.reset(),
  );
  const showAlert = unlock.isError && !unlock.error.fields.code;
  const codePrompt = unlock.isError && unlock.error.fields.code && !errors.code ? unlock.error.message : null;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Unlock">
      <Stack gap="md">
        <Text>
          Locked for <strong>{me.displayName}</strong> ({me.role.label}). Enter your password to carry on where you left off; nothing you were typing has been
          lost.
        </Text>
        <PasswordInput label="Password" autoComplete="current-password" {...form.register('password')} error={errors.password?.message} />
        {codePrompt ? (
          <Text fz="sm" role="status">
            {codePrompt}
          </Text>
        ) : null}
        {askCode ? (
          <TextInput
            label="Authentication code"
            description="The six digits your authenticator app shows, or one of your recovery codes"
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            {...form.register('code')}
            error={errors.code?.message}
          />
        ) : null}
        {showAlert ? <ErrorAlert>{errorMessage(unlock.error)}</ErrorAlert> : null}
        <Button type="submit" loading={form.formState.isSubmitting}>
          Unlock
        </Button>
      </Stack>
    </form>
  );
}

const switchSchema = contract['auth.signIn'].input.extend({ code: z.string().trim().max(20, 'That code is too long') });
type SwitchValues = z.input<typeof switchSchema>;

/** Shift change: the next user signs in here; the server ends the locked session. */
function SwitchUserForm({ me }: { me: Me }) {
  const signIn = useSignIn();
  const [askCode, setAskCode] = useState(false);
  const form = useForm<SwitchValues, unknown, z.output<typeof switchSchema>>({
    resolver: zodResolver(switchSchema),
    defaultValues: { username: '', password: '', code: '' },
  });
  const { errors } = form.formState;
  const { setFocus } = form;
  useEffect(() => setFocus('username'), [setFocus]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        await signIn.mutateAsync({ username: values.username, password: values.password, code: askCode && values.code ? values.code : undefined });
      } catch (error) {
        if (error instanceof ApiError && error.fields.code) {
          setAskCode(true);
          form.resetField('code');
          if (values.code) form.setError('code', { type: 'server', message: error.fields.code });
          setTimeout(() => setFocus('code'), 0);
          return;
        }
        applyServerFieldErrors(error, form.setError, ['username', 'password']);
        form.resetField('password', { keepError: true });
        setFocus('password');
      }
    },
    () => signIn.reset(),
  );
  const showAlert = signIn.isError && !signIn.error.fields.code;
  const codePrompt = signIn.isError && signIn.error.fields.code && !errors.code ? signIn.error.message : null;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Sign in as someone else">
      <Stack gap="md">
        <Text>Signing in here ends {me.displayName}’s session. Anything they had not saved is discarded and not shown to you.</Text>
        <TextInput
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          {...form.register('username')}
          error={errors.username?.message}
        />
        <PasswordInput label="Password" autoComplete="current-password" {...form.register('password')} error={errors.password?.message} />
        {codePrompt ? (
          <Text fz="sm" role="status">
            {codePrompt}
          </Text>
        ) : null}
        {askCode ? (
          <TextInput
            label="Authentication code"
            description="The six digits your authenticator app shows, or one of your recovery codes"
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            {...form.register('code')}
            error={errors.code?.message}
          />
        ) : null}
        {showAlert ? <ErrorAlert>{errorMessage(signIn.error)}</ErrorAlert> : null}
        <Button type="submit" loading={form.formState.isSubmitting}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
