import { Button, Group, Image, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconDownload, IconExternalLink, IconFileTypePdf } from '@tabler/icons-react';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { downloadBase64, formatBytes, openPdf } from './files.js';

interface AttachmentRef {
  id: string;
  fileName: string;
  mimeType: string;
  sizeBytes?: number;
}

/** One stored file, fetched when shown: images inline, PDFs opened in the browser's viewer or saved. */
export function AttachmentView({ attachment }: { attachment: AttachmentRef }) {
  const file = useProcedureQuery('attachments.get', { id: attachment.id });
  const isPdf = attachment.mimeType === 'application/pdf';
  return (
    <Paper withBorder radius="md" p="sm" component="figure" m={0}>
      <Stack gap="xs">
        {file.isError ? <ErrorAlert>{errorMessage(file.error)}</ErrorAlert> : null}
        {isPdf ? (
          <Group gap="xs">
            <IconFileTypePdf size={28} aria-hidden color="var(--mantine-color-red-7)" />
            <Text fz="sm">PDF document</Text>
          </Group>
        ) : file.data ? (
          <Image
            src={`data:${file.data.mimeType};base64,${file.data.contentBase64}`}
            alt={attachment.fileName}
            radius="sm"
            fit="contain"
            mah={420}
            bg="gray.1"
            style={{ imageRendering: 'auto' }}
          />
        ) : file.isPending ? (
          <Skeleton h={180} aria-label={`Loading ${attachment.fileName}`} />
        ) : null}
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text component="figcaption" fz="sm" truncate="end" miw={0}>
            {attachment.fileName}
            {attachment.sizeBytes !== undefined ? (
              <Text span c="dimmed" fz="xs">
                {' '}
                · {formatBytes(attachment.sizeBytes)}
              </Text>
            ) : null}
          </Text>
          <Group gap={6} wrap="nowrap">
            {isPdf ? (
              <Button
                size="xs"
                variant="light"
                leftSection={<IconExternalLink size={14} aria-hidden />}
                disabled={!file.data}
                onClick={() => file.data && openPdf(file.data.fileName, file.data.contentBase64)}
                aria-label={`Open ${attachment.fileName}`}
              >
                Open
              </Button>
            ) : null}
            <Button
              size="xs"
              variant="default"
              leftSection={<IconDownload size={14} aria-hidden />}
              disabled={!file.data}
              onClick={() => file.data && downloadBase64(file.data.fileName, file.data.contentBase64, file.data.mimeType)}
              aria-label={`Download ${attachment.fileName}`}
            >
              Download
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
