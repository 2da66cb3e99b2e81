import { zodResolver } from '@hookform/resolvers/zod';
import { Badge, Button, Checkbox, Group, Modal, Paper, Select, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowBackUp, IconDeviceFloppy, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { contract } from '../../../src-shared/contract/index.js';
import type { RoleSummary } from '../../../src-shared/contract/users.js';
import { PERMISSIONS, type Permission } from '../../../src-shared/permissions.js';
import { type ApiError, errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { groupPermissions } from './permissionGroups.js';

const GROUPS = groupPermissions();

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((item) => set.has(item));
}

export function RolesPage() {
  useDocumentTitle('Roles · Asclepia');
  const roles = useProcedureQuery('roles.list', {});
  const [creating, setCreating] = useState(false);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Roles</Title>
          <Text c="dimmed" mt={4} maw={760}>
            Each column is a role and each row something it allows. Tick or untick, then save that role; the change applies to its users from their next action.
            At least one active user must always be able to manage users.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)} disabled={!roles.data}>
          New role
        </Button>
      </Group>
      {roles.isError ? <ErrorAlert>{errorMessage(roles.error)}</ErrorAlert> : null}
      {roles.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label="Loading roles">
          <Skeleton h={48} />
          <Skeleton h={320} />
        </Stack>
      ) : roles.data ? (
        <RoleMatrix roles={roles.data} />
      ) : null}
      <Modal opened={creating} onClose={() => setCreating(false)} title="New role" closeOnClickOutside={false}>
        {creating && roles.data ? <NewRoleForm roles={roles.data} onClose={() => setCreating(false)} /> : null}
      </Modal>
    </Stack>
  );
}

function RoleMatrix({ roles }: { roles: RoleSummary[] }) {
  const queryClient = useQueryClient();
  const update = useProcedureMutation('roles.update');
  /** Ticks not yet saved, per role id; a role absent here shows what the server has. */
  const [staged, setStaged] = useState<Record<string, Permission[]>>({});
  const [refusals, setRefusals] = useState<Record<string, ApiError>>({});
  const [saving, setSaving] = useState<string | null>(null);

  const current = (role: RoleSummary): Permission[] => staged[role.id] ?? role.permissions;
  const isDirty = (role: RoleSummary) => staged[role.id] !== undefined && !sameSet(staged[role.id] ?? [], role.permissions);

  const toggle = (role: RoleSummary, permission: Permission, on: boolean) => {
    const next = new Set(current(role));
    if (on) next.add(permission);
    else next.delete(permission);
    setStaged((all) => ({ ...all, [role.id]: [...next] }));
  };
  const undo = (role: RoleSummary) => {
    setStaged(({ [role.id]: _dropped, ...rest }) => rest);
    setRefusals(({ [role.id]: _dropped, ...rest }) => rest);
  };
  const save = async (role: RoleSummary) => {
    setSaving(role.id);
    try {
      const saved = await update.mutateAsync({ id: role.id, label: role.label, permissions: current(role), version: role.version });
      queryClient.setQueryData<RoleSummary[]>(['roles.list', {}], (list) => list?.map((item) => (item.id === saved.id ? saved : item)));
      undo(role);
      notifySuccess(`${saved.label} saved`, `${saved.permissions.length} permissions; its users have them from their next action.`);
    } catch (error) {
      setRefusals((all) => ({ ...all, [role.id]: error as ApiError }));
      if ((error as ApiError).code === 'CONFLICT') void queryClient.invalidateQueries({ queryKey: ['roles.list'] });
    } finally {
      setSaving(null);
    }
  };

  const refused = roles.filter((role) => refusals[role.id]);
  const dirtyCount = roles.filter(isDirty).length;

  return (
    <Stack gap="md">
      {refused.map((role) => {
        const error = refusals[role.id] as ApiError;
        return (
          <ErrorAlert key={role.id} title={`${role.label} not saved`} withCloseButton onClose={() => setRefusals(({ [role.id]: _d, ...rest }) => rest)}>
            {errorMessage(error)}
          </ErrorAlert>
        );
      })}
      <Text fz="sm" c="dimmed" aria-live="polite">
        {dirtyCount === 0 ? 'No unsaved changes.' : `Unsaved changes in ${dirtyCount} role${dirtyCount === 1 ? '' : 's'}.`}
      </Text>
      <Paper withBorder radius="md" style={{ overflow: 'auto', maxHeight: 'calc(100vh - 250px)' }}>
        <Table aria-label="Permissions of each role" stickyHeader withColumnBorders verticalSpacing={6} horizontalSpacing="sm" miw={280 + roles.length * 116}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th miw={260} style={{ verticalAlign: 'bottom' }}>
                Permission
              </Table.Th>
              {roles.map((role) => (
                <Table.Th key={role.id} w={116} ta="center" style={{ verticalAlign: 'bottom' }}>
                  <Stack gap={4} align="center">
                    <Text fw={700} fz="sm" lh={1.2}>
                      {role.label}
                    </Text>
                    <Group gap={4} justify="center">
                      {role.isSystem ? null : (
                        <Badge size="xs" variant="outline" tt="none">
                          Custom
                        </Badge>
                      )}
                      <Text fz="xs" c="dimmed" fw={400}>
                        {role.activeUsers} {role.activeUsers === 1 ? 'user' : 'users'}
                      </Text>
                    </Group>
                    <Button
                      size="compact-xs"
                      leftSection={<IconDeviceFloppy size={14} aria-hidden />}
                      disabled={!isDirty(role) || (saving !== null && saving !== role.id)}
                      loading={saving === role.id}
                      onClick={() => void save(role)}
                      aria-label={`Save ${role.label}`}
                    >
                      Save
                    </Button>
                    {isDirty(role) ? (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="gray"
                        leftSection={<IconArrowBackUp size={14} aria-hidden />}
                        onClick={() => undo(role)}
                        aria-label={`Undo changes to ${role.label}`}
                      >
                        Undo
                      </Button>
                    ) : null}
                  </Stack>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {GROUPS.map((group) => (
              <Fragment key={group.label}>
                <Table.Tr bg="var(--mantine-color-gray-0)">
                  <Table.Th scope="colgroup" colSpan={roles.length + 1} fz="xs" tt="uppercase" c="dimmed" py={8}>
                    {group.label}
                  </Table.Th>
                </Table.Tr>
                {group.permissions.map((permission) => (
                  <Table.Tr key={permission}>
                    <Table.Th scope="row" fw={400}>
                      <Text fz="sm">{PERMISSIONS[permission]}</Text>
                      <Text fz="xs" c="dimmed" ff="monospace">
                        {permission}
                      </Text>
                    </Table.Th>
                    {roles.map((role) => {
                      const checked = current(role).includes(permission);
                      const changed = checked !== role.permissions.includes(permission);
                      return (
                        <Table.Td key={role.id} ta="center" bg={changed ? 'var(--mantine-color-yellow-0)' : undefined}>
                          <Checkbox
                            aria-label={`${role.label}: ${PERMISSIONS[permission]}`}
                            checked={checked}
                            onChange={(event) => toggle(role, permission, event.currentTarget.checked)}
                            styles={{ body: { justifyContent: 'center' } }}
                          />
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

const newRoleSchema = contract['roles.create'].input.omit({ permissions: true }).extend({ copyFrom: z.string() });
type NewRoleInput = z.input<typeof newRoleSchema>;
type NewRoleOutput = z.output<typeof newRoleSchema>;

/** e.g. "Lab technician" -> "lab_technician". */
function suggestName(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);
}

function NewRoleForm({ roles, onClose }: { roles: RoleSummary[]; onClose: () => void }) {
  const create = useProcedureMutation('roles.create');
  const form = useForm<NewRoleInput, unknown, NewRoleOutput>({ resolver: zodResolver(newRoleSchema), defaultValues: { label: '', name: '', copyFrom: '' } });
  const { errors, dirtyFields } = form.formState;
  const labelField = form.register('label');

  const onSubmit = form.handleSubmit(
    async ({ name, label, copyFrom }) => {
      const source = roles.find((role) => role.id === copyFrom);
      try {
        const saved = await create.mutateAsync({ name, label, permissions: source ? source.permissions : [] });
        notifySuccess('Role created', `${saved.label} has ${saved.permissions.length} permissions. Tick more in its column, then save it.`);
        onClose();
      } catch (error) {
        applyServerFieldErrors(error, form.setError, ['label', 'name']);
      }
    },
    () => create.reset(),
  );
  const fieldRefused = create.error ? Object.keys(create.error.fields).some((key) => key === 'name' || key === 'label') : false;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="New role">
      <Stack gap="md">
        <TextInput
          label="Label"
          description="What people see, e.g. Lab technician"
          data-autofocus
          {...labelField}
          onChange={(event) => {
            void labelField.onChange(event);
            if (!dirtyFields.name) form.setValue('name', suggestName(event.currentTarget.value));
          }}
          error={errors.label?.message}
        />
        <TextInput
          label="Name"
          description="The machine name, fixed once created: lower-case letters, digits and underscores"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          autoCapitalize="none"
          spellCheck={false}
          {...form.register('name')}
          error={errors.name?.message}
        />
        <Controller
          control={form.control}
          name="copyFrom"
          render={({ field }) => (
            <Select
              ref={field.ref}
              label="Start with the permissions of"
              description="Optional; you can change every permission afterwards"
              placeholder="No permissions"
              data={roles.map((role) => ({ value: role.id, label: role.label }))}
              value={field.value || null}
              onChange={(value) => field.onChange(value ?? '')}
              onBlur={field.onBlur}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          )}
        />
        {create.isError && !fieldRefused ? <ErrorAlert>{errorMessage(create.error)}</ErrorAlert> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={form.formState.isSubmitting}>
            Create role
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
