import { Alert, Anchor, Badge, Button, Group, Input, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle, useId } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowLeft, IconCircleCheck, IconFileImport, IconListCheck } from '@tabler/icons-react';
import Papa from 'papaparse';
import { useState } from 'react';
import { Link } from 'wouter';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { IMPORTABLE_FIELDS, type ImportableField } from '../../../src-shared/contract/patients.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { PATIENT_FIELD_LABELS, plural } from './format.js';
import { guessMapping, type Mapping } from './importMapping.js';

type ImportResult = OutputOf<'patients.importCsv'>;

const MAX_BYTES = 10 * 1024 * 1024;
const REQUIRED: readonly ImportableField[] = ['givenName', 'familyName', 'sex', 'birthDate'];

function readHeaders(text: string): string[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { preview: 1, skipEmptyLines: 'greedy' });
  return (parsed.data[0] ?? []).map((header) => header.trim()).filter((header) => header !== '');
}

interface LoadedFile {
  name: string;
  text: string;
  headers: string[];
}

/**
 * Patients from a spreadsheet: choose the file, say which column fills which field, check the
 * file (nothing is written; every bad row is listed with the reason), then import the valid rows
 * — all of them or none.
 */
export function ImportPatientsPage() {
  useDocumentTitle('Import patients · Asclepia');
  const fileId = useId();
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [checked, setChecked] = useState<{ result: ImportResult; mapping: Mapping; text: string } | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const dryRun = useProcedureMutation('patients.importCsv');
  const commit = useProcedureMutation('patients.importCsv');

  const onFile = async (chosen: File | undefined) => {
    setFile(null);
    setChecked(null);
    setImported(null);
    dryRun.reset();
    commit.reset();
    setFileError(null);
    if (!chosen) return;
    if (chosen.size > MAX_BYTES) {
      setFileError('This file is larger than 10 MB. Split it into smaller files and import them one after the other.');
      return;
    }
    const text = await chosen.text();
    const headers = readHeaders(text);
    if (headers.length === 0) {
      setFileError('This file has no header row. The first line must name the columns, e.g. “First name, Last name, Sex, Date of birth”.');
      return;
    }
    setFile({ name: chosen.name, text, headers });
    setMapping(guessMapping(headers));
  };

  const missing = REQUIRED.filter((field) => !mapping[field]);
  const chosenMapping = Object.fromEntries(Object.entries(mapping).filter(([, header]) => header)) as Mapping;
  const fresh = checked !== null && file !== null && checked.text === file.text && JSON.stringify(checked.mapping) === JSON.stringify(chosenMapping);

  const onCheck = () => {
    if (!file || missing.length > 0) return;
    setImported(null);
    dryRun.mutate(
      { csv: file.text, mapping: chosenMapping, commit: false },
      { onSuccess: (result) => setChecked({ result, mapping: chosenMapping, text: file.text }) },
    );
  };

  const onImport = () => {
    if (!file || !fresh || !checked) return;
    commit.mutate(
      { csv: file.text, mapping: checked.mapping, commit: true },
      {
        onSuccess: (result) => {
          setImported(result);
          setChecked(null);
          notifySuccess('Patients imported', `${plural(result.imported, 'patient')} registered from ${file.name}.`);
        },
      },
    );
  };

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Anchor component={Link} href="/patients" fz="sm">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} aria-hidden />
            Patients
          </Group>
        </Anchor>
        <Title order={1} mt={4}>
          Import patients from CSV
        </Title>
        <Text c="dimmed" mt={4} maw={760}>
          Each row of the file becomes a new patient with its own MRN. Check the file first: nothing is written until you press Import, and then either every
          valid row is imported or none is.
        </Text>
      </div>

      <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="import-file-title">
        <Stack gap="md">
          <Title order={2} fz="h3" id="import-file-title">
            1. Choose the file
          </Title>
          <Input.Wrapper
            id={fileId}
            label="CSV file"
            description="Comma- or semicolon-separated, with a header row naming the columns; at most 10 MB."
            error={fileError}
          >
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              onChange={(event) => void onFile(event.currentTarget.files?.[0])}
              style={{ display: 'block', marginTop: 6, font: 'inherit' }}
            />
          </Input.Wrapper>
          {file ? (
            <Text fz="sm">
              {file.name}: {plural(file.headers.length, 'column')} ({file.headers.join(', ')}).
            </Text>
          ) : null}
        </Stack>
      </Paper>

      {file ? (
        <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="import-mapping-title">
          <Stack gap="md">
            <div>
              <Title order={2} fz="h3" id="import-mapping-title">
                2. Match the columns
              </Title>
              <Text fz="sm" c="dimmed" mt={2}>
                Columns were matched by their names; change any that are wrong. Given name, family name, sex and date of birth are required.
              </Text>
            </div>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" verticalSpacing="sm">
              {IMPORTABLE_FIELDS.map((field) => (
                <NativeSelect
                  key={field}
                  label={PATIENT_FIELD_LABELS[field]}
                  withAsterisk={REQUIRED.includes(field)}
                  data={[{ value: '', label: REQUIRED.includes(field) ? 'Choose a column' : 'Not imported' }, ...file.headers]}
                  value={mapping[field] ?? ''}
                  onChange={(event) => {
                    const header = event.currentTarget.value;
                    setMapping((all) => ({ ...all, [field]: header || undefined }));
                  }}
                  error={REQUIRED.includes(field) && !mapping[field] && dryRun.isError ? 'Choose the column' : undefined}
                />
              ))}
            </SimpleGrid>
            {missing.length > 0 ? (
              <Text fz="sm" c="orange.9">
                Still to match: {missing.map((field) => PATIENT_FIELD_LABELS[field].toLowerCase()).join(', ')}.
              </Text>
            ) : null}
            {dryRun.isError ? <ErrorAlert title="The file was not checked">{errorMessage(dryRun.error)}</ErrorAlert> : null}
            <Group>
              <Button leftSection={<IconListCheck size={16} aria-hidden />} onClick={onCheck} loading={dryRun.isPending} disabled={missing.length > 0}>
                Check the file
              </Button>
              {checked && !fresh ? (
                <Text fz="sm" c="dimmed">
                  The columns changed since the last check: check the file again.
                </Text>
              ) : null}
            </Group>
          </Stack>
        </Paper>
      ) : null}

      {checked && fresh && file ? (
        <DryRunReport result={checked.result} mapping={checked.mapping} onImport={onImport} importing={commit.isPending} importError={commit.error} />
      ) : null}

      {imported ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title="Import finished" role="status">
          {plural(imported.imported, 'patient')} {imported.imported === 1 ? 'was' : 'were'} registered
          {imported.totalRows > imported.imported
            ? `; ${plural(imported.totalRows - imported.imported, 'row')} with problems ${imported.totalRows - imported.imported === 1 ? 'was' : 'were'} skipped`
            : ''}
          .{' '}
          <Anchor component={Link} href="/patients">
            Go to the patient list
          </Anchor>
        </Alert>
      ) : null}
    </Stack>
  );
}

function columnOf(field: string, mapping: Mapping): string {
  const root = field.split('.')[0] as ImportableField;
  if (field === 'row') return 'Whole row';
  const label = PATIENT_FIELD_LABELS[root] ?? field;
  const header = mapping[root];
  return header ? `${label} (column “${header}”)` : label;
}

function DryRunReport({
  result,
  mapping,
  onImport,
  importing,
  importError,
}: {
  result: ImportResult;
  mapping: Mapping;
  onImport: () => void;
  importing: boolean;
  importError: Error | null;
}) {
  const badRows = result.totalRows - result.validRows;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="import-check-title">
      <Stack gap="md">
        <Title order={2} fz="h3" id="import-check-title">
          3. Check and import
        </Title>
        <Group gap="sm" aria-live="polite" data-testid="import-counts">
          <Badge size="lg" color="teal" variant="light" tt="none">
            {result.validRows} of {result.totalRows} rows valid
          </Badge>
          {badRows > 0 ? (
            <Badge size="lg" color="red" variant="light" tt="none">
              {plural(badRows, 'row')} with problems
            </Badge>
          ) : null}
          {result.likelyDuplicates.length > 0 ? (
            <Badge size="lg" color="orange" variant="light" tt="none">
              {plural(result.likelyDuplicates.length, 'likely duplicate')}
            </Badge>
          ) : null}
        </Group>

        {result.problems.length > 0 ? (
          <Stack gap="xs">
            <Text fw={600}>Problems: these rows will not be imported</Text>
            <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
              <Table verticalSpacing="xs" horizontalSpacing="md" aria-label="Problems in the file" miw={620} striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={80}>Row</Table.Th>
                    <Table.Th w={260}>Field</Table.Th>
                    <Table.Th>Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.problems.map((problem) => (
                    <Table.Tr key={`${problem.row}-${problem.field}-${problem.message}`}>
                      <Table.Td ff="monospace">{problem.row}</Table.Td>
                      <Table.Td>{columnOf(problem.field, mapping)}</Table.Td>
                      <Table.Td>{problem.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
            <Text fz="sm" c="dimmed">
              Row numbers are those your spreadsheet shows (the header is row 1). Correct the rows and choose the file again, or import the valid rows now.
            </Text>
          </Stack>
        ) : (
          <Text>Every row is valid.</Text>
        )}

        {result.likelyDuplicates.length > 0 ? (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Rows that look like patients already registered">
            <Text fz="sm" mb={6}>
              These rows are imported as new patients too. Remove them from the file first if they are the same people.
            </Text>
            <Table verticalSpacing={4} aria-label="Likely duplicates" withRowBorders={false}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={80}>Row</Table.Th>
                  <Table.Th>Looks like</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.likelyDuplicates.map((duplicate) => (
                  <Table.Tr key={duplicate.row}>
                    <Table.Td ff="monospace">{duplicate.row}</Table.Td>
                    <Table.Td ff="monospace">{duplicate.mrn}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Alert>
        ) : null}

        {importError ? <ErrorAlert title="Nothing was imported">{errorMessage(importError)}</ErrorAlert> : null}
        <Group justify="space-between" align="center">
          <Text fz="sm" c="dimmed" maw={620}>
            {result.validRows > 0
              ? `Importing registers ${plural(result.validRows, 'new patient')} in one go${badRows > 0 ? `; the ${plural(badRows, 'row')} with problems ${badRows === 1 ? 'is' : 'are'} left out` : ''}. Nothing has been written yet.`
              : 'No row can be imported. Correct the file and choose it again.'}
          </Text>
          <Button leftSection={<IconFileImport size={16} aria-hidden />} onClick={onImport} loading={importing} disabled={result.validRows === 0}>
            Import {plural(result.validRows, 'patient')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
