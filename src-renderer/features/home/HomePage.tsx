import { Anchor, Group, List, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCircleCheck, IconClock } from '@tabler/icons-react';
import { Link } from 'wouter';
import { PERMISSION_NAMES, PERMISSIONS, type Permission } from '../../../src-shared/permissions.js';
import { formatClinicDateTime } from '../../../src-shared/time.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useNow } from '../../ui/useNow.js';
import { useMe } from '../auth/session.js';
import { MyRecord } from '../patients/MyRecord.js';
import { roleHome } from './roleHomes.js';

function greeting(now: Date, timeZone: string): string {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(now));
  if (hour >= 5 && hour < 12) return 'Good morning';
  if (hour >= 12 && hour < 18) return 'Good afternoon';
  if (hour >= 18 && hour < 23) return 'Good evening';
  return 'Hello';
}

export function HomePage() {
  const me = useMe();
  const home = roleHome(me.role);
  useDocumentTitle(`${home.title} · Asclepia`);
  const settings = useProcedureQuery('settings.get', {});
  const now = useNow();
  const RoleIcon = home.icon;
  // A patient (who may read only their own record) lands on that record, not on a list of permissions.
  const ownRecordOnly = me.permissions.includes('patients.read_own') && !me.permissions.includes('patients.read');

  return (
    <Stack gap="xl" maw={960}>
      <Paper
        radius="lg"
        p={{ base: 'lg', sm: 'xl' }}
        style={{
          background: `linear-gradient(135deg, var(--mantine-color-${home.color}-0), var(--mantine-color-${home.color}-1))`,
          borderLeft: `6px solid var(--mantine-color-${home.color}-6)`,
        }}
      >
        <Group gap="lg" wrap="nowrap" align="flex-start">
          <ThemeIcon size={64} radius="xl" color={home.color} variant="filled" aria-hidden>
            <RoleIcon size={36} stroke={1.6} />
          </ThemeIcon>
          <Stack gap={6}>
            <Title order={1} c={`${home.color}.9`}>
              {home.title}
            </Title>
            {settings.isSuccess ? (
              <>
                <Text fz="lg">
                  {greeting(now, settings.data.timeZone)}, {me.displayName}.
                </Text>
                <Group gap={6} c="gray.8" wrap="nowrap" align="flex-start">
                  <IconClock size={18} aria-hidden style={{ flexShrink: 0, marginTop: 1 }} />
                  <Text fz="sm">
                    <time dateTime={now.toISOString()}>{formatClinicDateTime(now, settings.data.timeZone)}</time> · clinic time,{' '}
                    {settings.data.timeZone.replaceAll('_', ' ')}
                  </Text>
                </Group>
              </>
            ) : settings.isError ? (
              <Text fz="lg">Welcome, {me.displayName}.</Text>
            ) : (
              <Skeleton h={48} w={320} />
            )}
          </Stack>
        </Group>
      </Paper>

      {settings.isError ? <ErrorAlert>{errorMessage(settings.error)}</ErrorAlert> : null}

      {ownRecordOnly ? <MyRecord patientId={me.patientId} /> : null}

      {ownRecordOnly ? null : (
        <SimpleGrid cols={{ base: 1, md: me.permissions.includes('settings.manage') ? 2 : 1 }} spacing="lg">
          <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="can-do-title">
            <Title order={2} fz="h3" id="can-do-title" mb="xs">
              What you can do here
            </Title>
            <Text fz="sm" c="dimmed" mb="md">
              Your role, {me.role.label}, allows you to:
            </Text>
            {me.permissions.length > 0 ? (
              <List
                spacing="xs"
                icon={
                  <ThemeIcon color={home.color} size={22} radius="xl" variant="light" aria-hidden>
                    <IconCircleCheck size={15} />
                  </ThemeIcon>
                }
              >
                {inDeclaredOrder(me.permissions).map((permission) => (
                  <List.Item key={permission}>{PERMISSIONS[permission]}</List.Item>
                ))}
              </List>
            ) : (
              <Text>Your role has no permissions yet. Ask an administrator to grant the ones you need.</Text>
            )}
          </Paper>

          {me.permissions.includes('settings.manage') && settings.isSuccess ? (
            <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="clinic-title" style={{ alignSelf: 'start' }}>
              <Title order={2} fz="h3" id="clinic-title" mb="md">
                This clinic
              </Title>
              <Stack gap="sm" component="dl" m={0}>
                <ClinicDetail label="Name">{settings.data.clinicName}</ClinicDetail>
                <ClinicDetail label="Time zone">{settings.data.timeZone.replaceAll('_', ' ')}</ClinicDetail>
                <ClinicDetail label="Currency">{settings.data.currency}</ClinicDetail>
              </Stack>
              <Anchor component={Link} href="/settings" mt="md" display="inline-block">
                Edit clinic details
              </Anchor>
            </Paper>
          ) : null}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function ClinicDetail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text component="dt" fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="dd" m={0} fw={500}>
        {children}
      </Text>
    </div>
  );
}

/** The order of permissions.ts, which groups related permissions, rather than the server's order. */
function inDeclaredOrder(permissions: readonly Permission[]): Permission[] {
  return [...permissions].sort((a, b) => PERMISSION_NAMES.indexOf(a) - PERMISSION_NAMES.indexOf(b));
}
