import { ActionIcon, Button, Divider, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import type { NotificationOut } from '../../../src-shared/contract/appointments.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { formatClinicShort } from '../../ui/clinicTime.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinic } from '../../ui/useClinic.js';

/** Also fetched now and then: the daily jobs write notifications without anyone's commit to announce them. */
const REFRESH_MS = 5 * 60_000;

/**
 * New unread notifications also go to the operating system's notification area where the window
 * may show them without asking (the desktop app grants it); a browser tab is not prompted. Those
 * present when the window opened are not announced again.
 */
function useSystemNotifications(items: readonly NotificationOut[] | undefined): void {
  const announced = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!items) return;
    if (announced.current === null) {
      announced.current = new Set(items.map((item) => item.id));
      return;
    }
    const fresh = items.filter((item) => !item.read && !announced.current?.has(item.id));
    for (const item of fresh) announced.current.add(item.id);
    if (fresh.length === 0 || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    for (const item of fresh) new Notification(item.title, { body: item.body.split('\n').slice(0, 3).join('\n') });
  }, [items]);
}

/** The notification centre in the header: a bell with the unread count, opening the list. */
export function NotificationBell() {
  const [opened, setOpened] = useState(false);
  const [, navigate] = useLocation();
  const { timeZone } = useClinic();
  const list = useProcedureQuery('notifications.list', {}, { refetchInterval: REFRESH_MS });
  const markRead = useProcedureMutation('notifications.markRead');
  useSystemNotifications(list.data);
  const items = list.data ?? [];
  const unread = items.filter((item) => !item.read);

  const open = (item: NotificationOut) => {
    if (!item.read) markRead.mutate({ ids: [item.id] });
    setOpened(false);
    if (item.link) navigate(item.link);
  };

  const label = unread.length > 0 ? `Notifications: ${unread.length} unread` : 'Notifications';
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={380} shadow="md" trapFocus withArrow>
      <Popover.Target>
        <Indicator label={unread.length > 99 ? '99+' : unread.length} size={18} color="red" disabled={unread.length === 0} offset={4}>
          <ActionIcon variant="default" size="lg" aria-label={label} title={label} onClick={() => setOpened((value) => !value)} aria-expanded={opened}>
            <IconBell size={18} aria-hidden />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} aria-label="Notifications">
        <Group justify="space-between" px="md" py="xs">
          <Text fw={600}>Notifications</Text>
          {unread.length > 0 ? (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => markRead.mutate({ ids: unread.slice(0, 200).map((item) => item.id) })}
              loading={markRead.isPending}
            >
              Mark all read
            </Button>
          ) : null}
        </Group>
        <Divider />
        {list.isError ? (
          <ErrorAlert m="sm">{errorMessage(list.error)}</ErrorAlert>
        ) : items.length === 0 ? (
          <Text c="dimmed" fz="sm" p="md">
            {list.isPending ? 'Loading…' : 'Nothing new. Reminders, results and stock alerts appear here.'}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420}>
            <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
              {items.map((item) => (
                <li key={item.id}>
                  <UnstyledButton
                    onClick={() => open(item)}
                    w="100%"
                    px="md"
                    py="sm"
                    bg={item.read ? undefined : 'blue.0'}
                    style={{ borderBottom: '1px solid var(--mantine-color-gray-2)', display: 'block' }}
                    aria-label={`${item.read ? '' : 'Unread: '}${item.title}`}
                  >
                    <Group gap="xs" wrap="nowrap" align="flex-start">
                      {item.read ? null : (
                        <span
                          aria-hidden
                          style={{ width: 8, height: 8, borderRadius: 4, marginTop: 7, flexShrink: 0, background: 'var(--mantine-color-blue-6)' }}
                        />
                      )}
                      <div style={{ minWidth: 0 }}>
                        <Text fz="sm" fw={item.read ? 500 : 700}>
                          {item.title}
                        </Text>
                        {item.body ? (
                          <Text fz="xs" c="dimmed" lineClamp={4} style={{ whiteSpace: 'pre-line' }}>
                            {item.body}
                          </Text>
                        ) : null}
                        <Text fz="xs" c="dimmed" mt={2}>
                          {formatClinicShort(item.createdAt, timeZone)}
                        </Text>
                      </div>
                    </Group>
                  </UnstyledButton>
                </li>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
