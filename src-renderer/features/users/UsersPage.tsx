import { ActionIcon, Badge, Button, Group, Input, Menu, Modal, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import {
  IconDots,
  IconKey,
  IconLink,
  IconLockOpen,
  IconPlus,
  IconSearch,
  IconShieldOff,
  IconUserCheck,
  IconUserCog,
  IconUsers,
  IconUserX,
} from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import type { UserSummary } from '../../../src-shared/contract/users.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { formatClinicShort } from '../../ui/clinicTime.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { ActionsHeader, ActiveBadge, EmptyPanel, LoadingRows, TablePanel } from '../../ui/lists.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { useClinic } from '../../ui/useClinic.js';
import { useMe } from '../auth/session.js';
import { ChangeRoleForm, LinkPatientForm, NewUserForm, ResetPasswordConfirm, ResetTwoFactorConfirm, SetActiveConfirm } from './UserDialogs.js';

type Status = 'active' | 'inactive' | 'all';
type Dialog = { kind: 'create' } | { kind: 'role' | 'active' | 'password' | 'twoFactor' | 'patient'; userId: string };
type UserAction = 'role' | 'active' | 'password' | 'twoFactor' | 'patient';

const STATUS_OPTIONS: { value: Status; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'all', label: 'All' },
];

export function UsersPage() {
  useDocumentTitle('Users · Asclepia');
  const me = useMe();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 200);
  const [status, setStatus] = useState<Status>('active');
  const users = useProcedureQuery('users.list', { search: debouncedSearch || undefined, status }, { placeholderData: keepPreviousData });
  const roles = useProcedureQuery('roles.list', {});
  const { timeZone } = useClinic();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);

  // The dialog follows the list, so after a refresh (e.g. on CONFLICT) it acts on the latest version.
  const dialogUser = dialog && dialog.kind !== 'create' ? users.data?.find((user) => user.id === dialog.userId) : undefined;
  const [lastDialogUser, setLastDialogUser] = useState<UserSummary | undefined>();
  if (dialogUser && dialogUser !== lastDialogUser) setLastDialogUser(dialogUser);
  const shownUser = dialogUser ?? lastDialogUser;

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Users</Title>
          <Text c="dimmed" mt={4}>
            Everyone who can sign in at this clinic, with their role. Deactivate people who leave; their history stays.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })} disabled={!roles.data}>
          New user
        </Button>
      </Group>

      <Group gap="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Search users"
          placeholder="Name or username"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          maxLength={80}
          w={320}
          type="search"
        />
        <Input.Wrapper label="Status" labelElement="div" id="user-status" labelProps={{ id: 'user-status-label' }}>
          <div>
            <SegmentedControl aria-labelledby="user-status-label" data={STATUS_OPTIONS} value={status} onChange={(value) => setStatus(value as Status)} />
          </div>
        </Input.Wrapper>
      </Group>

      {users.isError ? <ErrorAlert>{errorMessage(users.error)}</ErrorAlert> : null}
      {users.isPending ? (
        <LoadingRows label="Loading users" rows={3} />
      ) : users.data ? (
        <UsersTable
          users={users.data}
          myId={me.id}
          timeZone={timeZone}
          emptyText={emptyText(debouncedSearch, status)}
          onAction={(kind, user) => setDialog({ kind, userId: user.id })}
          busy={users.isFetching}
        />
      ) : null}

      <Modal opened={dialog?.kind === 'create'} onClose={close} title="New user" size="md" closeOnClickOutside={false}>
        {dialog?.kind === 'create' && roles.data ? <NewUserForm roles={roles.data} onClose={close} /> : null}
      </Modal>
      <Modal opened={dialog?.kind === 'role'} onClose={close} title={shownUser ? `Change role of ${shownUser.displayName}` : 'Change role'}>
        {dialog?.kind === 'role' && shownUser && roles.data ? <ChangeRoleForm user={shownUser} roles={roles.data} onClose={close} /> : null}
      </Modal>
      <Modal
        opened={dialog?.kind === 'active'}
        onClose={close}
        title={shownUser ? `${shownUser.active ? 'Deactivate' : 'Reactivate'} ${shownUser.displayName}?` : 'Change account status'}
      >
        {dialog?.kind === 'active' && shownUser ? <SetActiveConfirm user={shownUser} isSelf={shownUser.id === me.id} onClose={close} /> : null}
      </Modal>
      <Modal
        opened={dialog?.kind === 'password'}
        onClose={close}
        title={shownUser ? `Reset the password of ${shownUser.displayName}?` : 'Reset password'}
        closeOnClickOutside={false}
        closeOnEscape={false}
      >
        {dialog?.kind === 'password' && shownUser ? <ResetPasswordConfirm user={shownUser} onClose={close} /> : null}
      </Modal>
      <Modal
        opened={dialog?.kind === 'patient'}
        onClose={close}
        title={shownUser ? `Link the patient record of ${shownUser.displayName}` : 'Link patient record'}
        size="lg"
      >
        {dialog?.kind === 'patient' && shownUser ? <LinkPatientForm user={shownUser} onClose={close} /> : null}
      </Modal>
      <Modal
        opened={dialog?.kind === 'twoFactor'}
        onClose={close}
        title={shownUser ? `Reset two-factor sign-in of ${shownUser.displayName}?` : 'Reset two-factor sign-in'}
      >
        {dialog?.kind === 'twoFactor' && shownUser ? <ResetTwoFactorConfirm user={shownUser} onClose={close} /> : null}
      </Modal>
    </Stack>
  );
}

function emptyText(search: string, status: Status): string {
  const which = status === 'all' ? 'users' : `${status} users`;
  return search ? `No ${which} match “${search}”. Check the spelling, or search by username.` : `There are no ${which}.`;
}

function UsersTable({
  users,
  myId,
  timeZone,
  emptyText,
  onAction,
  busy,
}: {
  users: UserSummary[];
  myId: string;
  timeZone: string;
  emptyText: string;
  onAction: (kind: UserAction, user: UserSummary) => void;
  busy: boolean;
}) {
  if (users.length === 0) {
    return <EmptyPanel icon={IconUsers} title="No users to show" description={emptyText} />;
  }
  return (
    <TablePanel highlightOnHover aria-label="Users" aria-busy={busy} miw={760}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Username</Table.Th>
          <Table.Th>Role</Table.Th>
          <Table.Th>Status</Table.Th>
          <ActionsHeader w={64} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {users.map((user) => (
          <Table.Tr key={user.id} data-username={user.username}>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <Text fw={500} c={user.active ? undefined : 'dimmed'}>
                  {user.displayName}
                </Text>
                {user.id === myId ? (
                  <Badge size="xs" variant="outline" color="gray" tt="none">
                    You
                  </Badge>
                ) : null}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text ff="monospace" fz="sm">
                {user.username}
              </Text>
            </Table.Td>
            <Table.Td>
              {user.role.label}
              {user.patient ? (
                <Text fz="xs" c="dimmed">
                  Record {user.patient.mrn} · {user.patient.name}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <StatusBadges user={user} timeZone={timeZone} />
            </Table.Td>
            <Table.Td>
              <UserActions user={user} onAction={onAction} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </TablePanel>
  );
}

function StatusBadges({ user, timeZone }: { user: UserSummary; timeZone: string }) {
  return (
    <Group gap={6}>
      <ActiveBadge active={user.active} />
      {user.lockedUntil ? (
        <Badge variant="filled" color="red" tt="none">
          Locked until {formatClinicShort(user.lockedUntil, timeZone)}
        </Badge>
      ) : null}
      {user.mustChangePassword ? (
        <Badge variant="light" color="yellow" c="yellow.9" tt="none">
          Must change password
        </Badge>
      ) : null}
      {user.twoFactorEnabled ? (
        <Badge variant="light" color="blue" tt="none" title="Two-factor sign-in is on">
          2FA
        </Badge>
      ) : null}
    </Group>
  );
}

function UserActions({ user, onAction }: { user: UserSummary; onAction: (kind: UserAction, user: UserSummary) => void }) {
  const unlock = useProcedureMutation('users.unlock');
  const onUnlock = () =>
    unlock.mutate(
      { id: user.id },
      {
        onSuccess: (saved) => notifySuccess('Account unlocked', `${saved.displayName} can sign in again.`),
        onError: (error) => notifyError('Not unlocked', errorMessage(error)),
      },
    );
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={220}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Actions for ${user.username}`} loading={unlock.isPending}>
          <IconDots size={18} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.displayName}</Menu.Label>
        <Menu.Item leftSection={<IconUserCog size={16} aria-hidden />} onClick={() => onAction('role', user)}>
          Change role
        </Menu.Item>
        <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={() => onAction('password', user)}>
          Reset password
        </Menu.Item>
        {user.lockedUntil ? (
          <Menu.Item leftSection={<IconLockOpen size={16} aria-hidden />} onClick={onUnlock}>
            Unlock
          </Menu.Item>
        ) : null}
        {user.role.name === 'patient' || user.patient ? (
          <Menu.Item leftSection={<IconLink size={16} aria-hidden />} onClick={() => onAction('patient', user)}>
            Link patient record
          </Menu.Item>
        ) : null}
        {user.twoFactorEnabled ? (
          <Menu.Item leftSection={<IconShieldOff size={16} aria-hidden />} onClick={() => onAction('twoFactor', user)}>
            Reset two-factor
          </Menu.Item>
        ) : null}
        <Menu.Divider />
        {user.active ? (
          <Menu.Item color="red" leftSection={<IconUserX size={16} aria-hidden />} onClick={() => onAction('active', user)}>
            Deactivate
          </Menu.Item>
        ) : (
          <Menu.Item leftSection={<IconUserCheck size={16} aria-hidden />} onClick={() => onAction('active', user)}>
            Reactivate
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
