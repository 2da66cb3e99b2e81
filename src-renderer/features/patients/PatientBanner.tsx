import { Badge, Box, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title, type TitleOrder } from '@mantine/core';
import { IconAlertTriangle, IconShieldCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { PatientRecord } from '../../../src-shared/contract/patients.js';
import { patientDisplayName } from '../../../src-shared/schemas/patient.js';
import { describeAge, formatDate, SEVERITY_LABELS, sexLabel } from './format.js';

/**
 * Who this is, at a glance: name, MRN, sex, age and date of birth, and the allergies in red where
 * nobody can miss them (or, just as plainly, that none are known).
 */
export function PatientBanner({ patient, today, order = 1, actions }: { patient: PatientRecord; today: string; order?: TitleOrder; actions?: ReactNode }) {
  const name = patientDisplayName(patient);
  const age = describeAge(patient.birthDate, today);
  return (
    <Paper withBorder radius="lg" p={{ base: 'md', sm: 'lg' }} component="header" aria-label="Patient" data-testid="patient-banner">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
          <Stack gap={6} miw={0}>
            <Group gap="sm" wrap="wrap" align="center">
              <Title order={order} fz={order === 1 ? 'h1' : 'h2'} lh={1.15}>
                {name}
              </Title>
              {patient.mergedInto ? (
                <Badge color="orange" variant="filled" tt="none">
                  Merged
                </Badge>
              ) : patient.active ? null : (
                <Badge color="gray" variant="filled" tt="none">
                  Inactive
                </Badge>
              )}
            </Group>
            <Group gap="lg" wrap="wrap" component="dl" m={0}>
              <InlineFact label="MRN">
                <Text component="span" ff="monospace" fw={700} fz="lg" data-testid="patient-mrn">
                  {patient.mrn}
                </Text>
              </InlineFact>
              <InlineFact label="Sex">{sexLabel(patient.sex)}</InlineFact>
              <InlineFact label="Age">{age || '—'}</InlineFact>
              <InlineFact label="Born">{formatDate(patient.birthDate)}</InlineFact>
              {patient.bloodGroup ? <InlineFact label="Blood group">{patient.bloodGroup}</InlineFact> : null}
            </Group>
          </Stack>
          {actions ? (
            <Group gap="sm" wrap="wrap">
              {actions}
            </Group>
          ) : null}
        </Group>
        <AllergyList allergies={patient.allergies} />
      </Stack>
    </Paper>
  );
}

function InlineFact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap={6} align="baseline" wrap="nowrap">
      <Text component="dt" fz="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text component="dd" m={0} fw={500}>
        {children}
      </Text>
    </Group>
  );
}

export function AllergyList({ allergies }: { allergies: PatientRecord['allergies'] }) {
  if (allergies.length === 0) {
    return (
      <Group gap="xs" component="section" aria-label="Allergies" data-testid="allergies">
        <ThemeIcon size={26} radius="xl" color="teal" variant="light" aria-hidden>
          <IconShieldCheck size={16} />
        </ThemeIcon>
        <Text fw={600} c="teal.9">
          No known allergies
        </Text>
      </Group>
    );
  }
  return (
    <Box
      component="section"
      aria-label="Allergies"
      data-testid="allergies"
      p="sm"
      style={{ borderRadius: 'var(--mantine-radius-md)', background: 'var(--mantine-color-red-0)', border: '1px solid var(--mantine-color-red-3)' }}
    >
      <Group gap="sm" align="center" wrap="wrap">
        <Group gap={6} wrap="nowrap">
          <IconAlertTriangle size={20} color="var(--mantine-color-red-8)" aria-hidden />
          <Text fw={800} c="red.9" tt="uppercase" fz="sm">
            Allergies
          </Text>
        </Group>
        <Group gap="xs" wrap="wrap" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {allergies.map((allergy) => (
            <li key={`${allergy.substance}|${allergy.reaction ?? ''}|${allergy.severity}`}>
              <Badge
                color={allergy.severity === 'severe' ? 'red.9' : 'red.7'}
                variant="filled"
                size="lg"
                radius="sm"
                tt="none"
                title={[allergy.reaction, SEVERITY_LABELS[allergy.severity]].filter(Boolean).join(' · ')}
              >
                {allergy.substance}
                <Text component="span" fz="xs" fw={500} ml={6} style={{ opacity: 0.9 }}>
                  {[allergy.reaction, SEVERITY_LABELS[allergy.severity].toLowerCase()].filter(Boolean).join(', ')}
                </Text>
              </Badge>
            </li>
          ))}
        </Group>
      </Group>
    </Box>
  );
}

/** Contact details and the rest of the demographics, as a definition list. */
export function DemographicsCard({ patient, timeZone }: { patient: PatientRecord; timeZone: string }) {
  const contact = patient.emergencyContact;
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="demographics-title">
      <Title order={2} fz="h3" id="demographics-title" mb="md">
        Demographics
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="lg" verticalSpacing="md" component="dl" m={0}>
        <Fact label="Phone">{patient.phone}</Fact>
        <Fact label="Email">{patient.email}</Fact>
        <Fact label="Address">{patient.address}</Fact>
        <Fact label="National id">{patient.nationalId}</Fact>
        <Fact label="Blood group">{patient.bloodGroup}</Fact>
        <Fact label="Other names">{patient.otherNames}</Fact>
        <Fact label="Emergency contact">
          {contact ? (
            <>
              {contact.name}
              {contact.relationship ? ` (${contact.relationship})` : ''}
              <br />
              {contact.phone}
            </>
          ) : null}
        </Fact>
        <Fact label="Registered">{formatRegistered(patient.createdAt, timeZone)}</Fact>
        {patient.active ? null : <Fact label="Deactivated because">{patient.deactivationReason}</Fact>}
      </SimpleGrid>
      {patient.notes ? (
        <Box mt="md">
          <Text component="h3" fz="xs" c="dimmed" tt="uppercase" fw={700} m={0}>
            Notes
          </Text>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{patient.notes}</Text>
        </Box>
      ) : null}
    </Paper>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div>
      <Text component="dt" fz="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text component="dd" m={0} fw={500} c={empty ? 'dimmed' : undefined} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {empty ? 'Not recorded' : children}
      </Text>
    </div>
  );
}

function formatRegistered(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(date);
  } catch {
    return iso.slice(0, 10);
  }
}
