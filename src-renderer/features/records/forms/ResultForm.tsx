import { ActionIcon, Alert, Badge, Button, FileButton, Group, List, NumberInput, Paper, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconFileTypePdf, IconPaperclip, IconPhoto, IconX } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { OrderOut } from '../../../../src-shared/contract/records.js';
import type { ApiError } from '../../../api/client.js';
import { useProcedureMutation } from '../../../api/hooks.js';
import { notifySuccess } from '../../../ui/notify.js';
import { useClinic } from '../../../ui/useClinic.js';
import { ACCEPTED_FILES, FileRefusal, formatBytes, type PreparedFile, prepareFile } from '../files.js';
import { formatNumber, formatWhen, referenceRange } from '../format.js';
import { FlagBadge, FormButtons, RefusalAlert, submitOnCtrlEnter } from '../shared.js';

/** Who, what and the range the value is read against: shown above the form and the saved result. */
export function OrderSummary({ order }: { order: OrderOut }) {
  const { timeZone } = useClinic();
  const range = referenceRange(order.test, order.test.unit);
  return (
    <Paper withBorder radius="md" p="sm" bg="gray.0">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={4} verticalSpacing={4}>
        <Text fz="sm">
          <Text span c="dimmed" fz="sm">
            Patient:{' '}
          </Text>
          {order.patient.name} ({order.patient.mrn})
        </Text>
        <Text fz="sm">
          <Text span c="dimmed" fz="sm">
            Test:{' '}
          </Text>
          {order.test.name} ({order.test.code})
        </Text>
        <Text fz="sm">
          <Text span c="dimmed" fz="sm">
            Ordered:{' '}
          </Text>
          {formatWhen(order.orderedAt, timeZone)} by {order.orderedBy.name}
        </Text>
        <Text fz="sm" data-testid="reference-range">
          <Text span c="dimmed" fz="sm">
            Reference range:{' '}
          </Text>
          {range ?? 'none in the catalog'}
        </Text>
      </SimpleGrid>
      {order.notes ? (
        <Text fz="sm" mt={4}>
          <Text span c="dimmed" fz="sm">
            Notes:{' '}
          </Text>
          {order.notes}
        </Text>
      ) : null}
    </Paper>
  );
}

function FileIcon({ mimeType }: { mimeType: string }) {
  return mimeType === 'application/pdf' ? <IconFileTypePdf size={16} aria-hidden /> : <IconPhoto size={16} aria-hidden />;
}

/**
 * A result: a number (flagged against the reference range by the main side), or text, or both,
 * with images and PDFs checked here for size and type before they are sent.
 */
export function ResultForm({ order, onDone }: { order: OrderOut; onDone: () => void }) {
  const enter = useProcedureMutation('results.enter');
  const [value, setValue] = useState<number | string>('');
  const [unit, setUnit] = useState(order.test.unit ?? '');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<PreparedFile[]>([]);
  const [fileProblems, setFileProblems] = useState<string[]>([]);
  const [valueError, setValueError] = useState<string | null>(null);
  const [formRefusal, setFormRefusal] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<OrderOut | null>(null);

  const addFiles = async (picked: File[]) => {
    const problems: string[] = [];
    const ready: PreparedFile[] = [];
    for (const file of picked) {
      try {
        ready.push(await prepareFile(file));
      } catch (error) {
        problems.push(error instanceof FileRefusal ? error.message : `${file.name} could not be read.`);
      }
    }
    const room = 10 - files.length;
    if (ready.length > room) problems.push('At most 10 files per result.');
    setFiles((current) => [...current, ...ready.slice(0, Math.max(room, 0))]);
    setFileProblems(problems);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setFormRefusal(null);
    const typed = typeof value === 'string' ? value.trim() : value;
    const numeric = typed === '' ? undefined : Number(typed);
    if (numeric !== undefined && !Number.isFinite(numeric)) {
      setValueError('The value must be a number');
      return;
    }
    if (numeric === undefined && !text.trim() && files.length === 0) {
      setValueError('Enter a value, a text result or attach a file');
      return;
    }
    setValueError(null);
    try {
      const result = await enter.mutateAsync({
        orderId: order.id,
        version: order.version,
        ...(numeric !== undefined ? { valueNumeric: numeric } : {}),
        ...(text.trim() ? { valueText: text.trim() } : {}),
        ...(unit.trim() ? { unit: unit.trim() } : {}),
        ...(files.length > 0 ? { attachments: files.map((file) => ({ fileName: file.fileName, contentBase64: file.contentBase64 })) } : {}),
      });
      notifySuccess('Result saved', `${order.test.name} for ${order.patient.name}.`);
      setSaved(result);
    } catch (error) {
      const refusal = error as ApiError;
      if (refusal.fields?.valueNumeric) setValueError(refusal.fields.valueNumeric);
      else setFormRefusal(refusal);
    }
  };

  if (saved?.result) {
    const result = saved.result;
    return (
      <Stack gap="md">
        <OrderSummary order={saved} />
        <Alert color={result.flag === 'normal' || result.flag === 'none' ? 'teal' : 'orange'} variant="light" title="Result saved">
          <Group gap="sm">
            <Text fw={700} fz="lg" data-testid="saved-result-value">
              {result.valueNumeric !== null
                ? `${formatNumber(result.valueNumeric)}${result.unit ? ` ${result.unit}` : ''}`
                : (result.valueText ?? 'Files only')}
            </Text>
            <FlagBadge flag={result.flag} size="md" />
          </Group>
          {result.valueNumeric !== null && result.valueText ? <Text mt={4}>{result.valueText}</Text> : null}
          {result.attachments.length > 0 ? (
            <Text fz="sm" mt={4}>
              {result.attachments.length} {result.attachments.length === 1 ? 'file' : 'files'} attached.
            </Text>
          ) : null}
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onDone} data-autofocus>
            Done
          </Button>
        </Group>
      </Stack>
    );
  }

  const valueLabel = order.test.unit ? `Value (${order.test.unit})` : 'Value';
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Enter result">
      <Stack gap="md">
        <OrderSummary order={order} />
        <Group align="flex-start" gap="sm" grow>
          <NumberInput
            label={valueLabel}
            description="A number is checked against the reference range"
            value={value}
            onChange={(next) => {
              setValue(next);
              setValueError(null);
            }}
            decimalScale={4}
            hideControls
            inputMode="decimal"
            error={valueError}
            data-autofocus
          />
          <TextInput
            label="Unit"
            description="From the catalog; change it if the lab used another"
            value={unit}
            onChange={(event) => setUnit(event.currentTarget.value)}
            maxLength={20}
          />
        </Group>
        <Textarea
          label="Text result"
          description="For results in words (e.g. “Negative”), or a comment on the value"
          autosize
          minRows={2}
          maxLength={4000}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setValueError(null);
          }}
          onKeyDown={submitOnCtrlEnter}
        />
        <Stack gap={6}>
          <Group gap="sm">
            <FileButton onChange={(picked) => void addFiles(picked)} accept={ACCEPTED_FILES} multiple>
              {(props) => (
                <Button {...props} variant="default" leftSection={<IconPaperclip size={16} aria-hidden />}>
                  Attach files
                </Button>
              )}
            </FileButton>
            <Text fz="xs" c="dimmed">
              JPEG, PNG or PDF, up to 20 MB each
            </Text>
          </Group>
          {fileProblems.length > 0 ? (
            <Alert color="red" variant="light" p="xs" role="alert">
              {fileProblems.map((problem) => (
                <Text key={problem} fz="sm">
                  {problem}
                </Text>
              ))}
            </Alert>
          ) : null}
          {files.length > 0 ? (
            <List spacing={4} listStyleType="none" aria-label="Files to attach" p={0} m={0}>
              {files.map((file) => (
                <List.Item key={file.key}>
                  <Group gap="xs" wrap="nowrap">
                    <FileIcon mimeType={file.mimeType} />
                    <Text fz="sm">{file.fileName}</Text>
                    <Badge variant="light" color="gray" tt="none" size="sm">
                      {formatBytes(file.sizeBytes)}
                    </Badge>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      size="sm"
                      aria-label={`Remove ${file.fileName}`}
                      onClick={() => setFiles((current) => current.filter((other) => other.key !== file.key))}
                    >
                      <IconX size={14} aria-hidden />
                    </ActionIcon>
                  </Group>
                </List.Item>
              ))}
            </List>
          ) : null}
        </Stack>
        <RefusalAlert error={formRefusal} />
        <FormButtons onCancel={onDone} submitLabel="Save result" busy={enter.isPending} extra="Enter saves" />
      </Stack>
    </form>
  );
}
