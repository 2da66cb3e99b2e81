import { AppShell, Badge, Box, Burger, Button, Group, Kbd, NavLink, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingHospital, IconLock, IconLogout, IconSearch } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { errorMessage } from '../api/client.js';
import { useProcedureQuery, useTableChangeInvalidation } from '../api/hooks.js';
import { AccountPage } from '../features/account/AccountPage.js';
import { appointmentsRoutes } from '../features/appointments/index.js';
import { AuditLogPage } from '../features/audit/AuditLogPage.js';
import { EmergencyReviewPage } from '../features/audit/EmergencyReviewPage.js';
import { useLock, useMe, useSignOut } from '../features/auth/session.js';
import { HomePage } from '../features/home/HomePage.js';
import { ImportPatientsPage } from '../features/patients/ImportPatientsPage.js';
import { EditPatientPage, RegisterPatientPage } from '../features/patients/PatientFormPage.js';
import { PatientPage } from '../features/patients/PatientPage.js';
import { PatientsPage } from '../features/patients/PatientsPage.js';
import { PATIENTS_PATH, requestPatientSearchFocus, usePatientSearchShortcut } from '../features/patients/searchShortcut.js';
import { recordsRoutes } from '../features/records/index.js';
import { RolesPage } from '../features/roles/RolesPage.js';
import { schedulesRoutes } from '../features/schedules/index.js';
import { ClinicSettingsPage } from '../features/settings/ClinicSettingsPage.js';
import { UsersPage } from '../features/users/UsersPage.js';
import { NotificationBell, visitsRoutes } from '../features/visits/index.js';
import { notifyError } from '../ui/notify.js';
import { visibleNavItems } from './navigation.js';

/** The signed-in frame: header (clinic, who, sign out), the role's navigation, and its screens. */
export function SignedInApp() {
  useTableChangeInvalidation(true);
  const me = useMe();
  const settings = useProcedureQuery('settings.get', {});
  const status = useProcedureQuery('setup.status', {});
  const clinicName = settings.data?.clinicName ?? status.data?.clinicName ?? 'Asclepia';
  const [navOpened, nav] = useDisclosure(false);
  const [location, navigate] = useLocation();
  const signOut = useSignOut();
  const items = visibleNavItems(me.permissions);
  const lock = useLock();
  const canManageSettings = me.permissions.includes('settings.manage');
  const canManageUsers = me.permissions.includes('users.manage');
  const canReadAudit = me.permissions.includes('audit.read');
  const canSearchPatients = me.permissions.includes('patients.read');
  const canWritePatients = me.permissions.includes('patients.write');
  // A patient reads their own record only; the page asks the server, which refuses any other.
  const canOpenPatient = canSearchPatients || me.permissions.includes('patients.read_own');
  usePatientSearchShortcut(canSearchPatients && !me.locked);
  const openPatientSearch = () => {
    requestPatientSearchFocus();
    if (location !== PATIENTS_PATH) navigate(PATIENTS_PATH);
  };

  // After moving to another screen, keyboard focus goes to its content rather than staying in the
  // navigation (the first Tab then reaches the screen's first control). Not on first arrival, and
  // not when the new screen has already put the focus on one of its own controls (a search box).
  const mainRef = useRef<HTMLElement>(null);
  const previousLocation = useRef(location);
  useEffect(() => {
    if (previousLocation.current === location) return;
    previousLocation.current = location;
    const focused = document.activeElement;
    const screenFocusedItself = focused !== mainRef.current && mainRef.current?.contains(focused);
    if (!screenFocusedItself) mainRef.current?.focus({ preventScroll: true });
    window.scrollTo({ top: 0 });
  }, [location]);

  const onSignOut = () =>
    signOut.mutate(undefined, {
      onError: (error) => {
        if (error.code !== 'UNAUTHENTICATED') notifyError('Not signed out', errorMessage(error));
      },
    });

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding={{ base: 'md', sm: 'xl' }}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={navOpened ? 'Close navigation' : 'Open navigation'} />
            <ThemeIcon size={34} radius="md" aria-hidden>
              <IconBuildingHospital size={20} />
            </ThemeIcon>
            <Box miw={0}>
              <Text fw={700} lh={1.15} truncate="end" data-testid="clinic-name">
                {clinicName}
              </Text>
              <Text fz="xs" c="dimmed" lh={1.1}>
                Asclepia
              </Text>
            </Box>
          </Group>
          <Group gap="md" wrap="nowrap">
            {canSearchPatients ? (
              <Button
                variant="default"
                leftSection={<IconSearch size={16} aria-hidden />}
                rightSection={<Kbd size="xs">/</Kbd>}
                onClick={openPatientSearch}
                aria-keyshortcuts="/ Control+K Meta+K"
                title="Search patients from any screen: press / or Ctrl+K"
                visibleFrom="md"
                c="dimmed"
                fw={500}
              >
                Search patients
              </Button>
            ) : null}
            <NotificationBell />
            <Stack gap={0} align="flex-end" visibleFrom="xs">
              <Text fw={600} fz="sm" lh={1.2} data-testid="user-display-name">
                {me.displayName}
              </Text>
              <Badge variant="light" size="sm" tt="none" data-testid="user-role">
                {me.role.label}
              </Badge>
            </Stack>
            <Button variant="default" leftSection={<IconLock size={16} aria-hidden />} onClick={() => lock.mutate()}>
              Lock now
            </Button>
            <Button variant="default" leftSection={<IconLogout size={16} aria-hidden />} onClick={onSignOut} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main">
        <Stack gap={4}>
          {items.map((item) => {
            const active = item.path === '/' ? location === '/' : location === item.path || location.startsWith(`${item.path}/`);
            const ItemIcon = item.icon;
            return (
              <NavLink
                key={item.path}
                component={Link}
                href={item.path}
                label={item.label}
                leftSection={<ItemIcon size={18} aria-hidden />}
                active={active}
                aria-current={active ? 'page' : undefined}
                onClick={nav.close}
                variant="light"
                fw={500}
              />
            );
          })}
        </Stack>
        <Box mt="auto" pt="md" hiddenFrom="xs">
          <Text fw={600} fz="sm">
            {me.displayName}
          </Text>
          <Text fz="xs" c="dimmed">
            {me.role.label}
          </Text>
        </Box>
      </AppShell.Navbar>

      <AppShell.Main ref={mainRef} tabIndex={-1} style={{ outline: 'none' }}>
        <Switch>
          <Route path="/">
            <HomePage />
          </Route>
          {canManageUsers ? (
            <Route path="/users">
              <UsersPage />
            </Route>
          ) : null}
          {canManageUsers ? (
            <Route path="/roles">
              <RolesPage />
            </Route>
          ) : null}
          {canSearchPatients ? (
            <Route path="/patients">
              <PatientsPage />
            </Route>
          ) : null}
          {canWritePatients ? (
            <Route path="/patients/new">
              <RegisterPatientPage />
            </Route>
          ) : null}
          {canWritePatients ? (
            <Route path="/patients/import">
              <ImportPatientsPage />
            </Route>
          ) : null}
          {canWritePatients ? <Route path="/patients/:id/edit">{(params) => <EditPatientPage key={params.id} id={params.id} />}</Route> : null}
          {canOpenPatient ? <Route path="/patients/:id">{(params) => <PatientPage key={params.id} id={params.id} />}</Route> : null}
          {canReadAudit ? (
            <Route path="/audit">
              <AuditLogPage />
            </Route>
          ) : null}
          {canReadAudit ? (
            <Route path="/emergency-access">
              <EmergencyReviewPage />
            </Route>
          ) : null}
          {canManageSettings ? (
            <Route path="/settings">
              <ClinicSettingsPage />
            </Route>
          ) : null}
          <Route path="/account">
            <AccountPage />
          </Route>
          {recordsRoutes(me.permissions)}
          {appointmentsRoutes(me.permissions)}
          {schedulesRoutes(me.permissions)}
          {visitsRoutes(me.permissions)}
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </AppShell.Main>
    </AppShell>
  );
}

function NotFound() {
  return (
    <Stack gap="sm" maw={560}>
      <Title order={1}>Page not found</Title>
      <Text>This page does not exist, or your role cannot open it.</Text>
      <Text>
        <Link href="/">Go to your home page</Link>
      </Text>
    </Stack>
  );
}
