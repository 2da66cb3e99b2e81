import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Button, EmptyState, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconActivityHeartbeat, IconPlus } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { VitalsOut } from '../../../src-shared/contract/records.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinic } from '../../ui/useClinic.js';
import { formatAxisDate, formatNumber, formatWhen } from './format.js';

type Metric = 'systolic' | 'diastolic' | 'pulse' | 'temperatureC' | 'spo2' | 'weightKg' | 'bmi';

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  series: { name: Metric; label: string; color: string }[];
  /** Normal adult range, drawn as a faint band to read the trend against. */
  band?: [number, number];
}

const CHARTS: readonly ChartSpec[] = [
  {
    id: 'bp',
    title: 'Blood pressure',
    unit: 'mmHg',
    series: [
      { name: 'systolic', label: 'Systolic', color: 'red.7' },
      { name: 'diastolic', label: 'Diastolic', color: 'blue.7' },
    ],
  },
  { id: 'pulse', title: 'Pulse', unit: 'beats/min', series: [{ name: 'pulse', label: 'Pulse', color: 'pink.7' }], band: [60, 100] },
  { id: 'temperature', title: 'Temperature', unit: '°C', series: [{ name: 'temperatureC', label: 'Temperature', color: 'orange.7' }], band: [36.1, 37.5] },
  { id: 'spo2', title: 'SpO₂', unit: '%', series: [{ name: 'spo2', label: 'SpO₂', color: 'cyan.7' }], band: [95, 100] },
  { id: 'weight', title: 'Weight', unit: 'kg', series: [{ name: 'weightKg', label: 'Weight', color: 'teal.7' }] },
  { id: 'bmi', title: 'BMI', unit: 'kg/m²', series: [{ name: 'bmi', label: 'BMI', color: 'grape.7' }], band: [18.5, 25] },
];

function latestOf(readings: VitalsOut[], spec: ChartSpec): { text: string; at: string } | null {
  for (let index = readings.length - 1; index >= 0; index -= 1) {
    const reading = readings[index] as VitalsOut;
    const values = spec.series.map((series) => reading[series.name]);
    if (values.every((value) => value !== null)) return { text: values.map((value) => formatNumber(value as number)).join('/'), at: reading.takenAt };
  }
  return null;
}

function VitalsChart({ spec, readings, timeZone }: { spec: ChartSpec; readings: VitalsOut[]; timeZone: string }) {
  const points = useMemo(() => {
    const years = new Set(readings.map((reading) => reading.takenAt.slice(0, 4)));
    return readings
      .filter((reading) => spec.series.some((series) => reading[series.name] !== null))
      .map((reading) => ({
        when: formatAxisDate(reading.takenAt, timeZone, years.size > 1),
        ...Object.fromEntries(spec.series.map((series) => [series.label, reading[series.name]])),
      }));
  }, [readings, spec, timeZone]);
  const latest = latestOf(readings, spec);
  const titleId = `vitals-chart-${spec.id}`;
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-labelledby={titleId} data-chart={spec.id}>
      <Stack gap={4}>
        <Title order={4} fz="sm" id={titleId}>
          {spec.title} ({spec.unit})
        </Title>
        <Text fz="xs" c="dimmed">
          {latest ? (
            <>
              Latest{' '}
              <Text span fw={700} c="var(--mantine-color-text)" fz="sm">
                {latest.text}
              </Text>{' '}
              on {formatWhen(latest.at, timeZone)}
              {points.length > 1 ? ` · ${points.length} readings` : ''}
            </>
          ) : (
            'Not measured yet'
          )}
        </Text>
        {points.length > 0 ? (
          <LineChart
            h={150}
            data={points}
            dataKey="when"
            series={spec.series.map((series) => ({ name: series.label, color: series.color }))}
            curveType="linear"
            connectNulls
            withLegend={spec.series.length > 1}
            legendProps={{ verticalAlign: 'top', height: 28 }}
            yAxisProps={{ domain: ['auto', 'auto'], width: 40 }}
            referenceLines={spec.band ? spec.band.map((y) => ({ y, color: 'gray.4', strokeDasharray: '4 4' })) : undefined}
            valueFormatter={(value) => formatNumber(value)}
            tickLine="none"
            gridAxis="y"
            role="img"
            aria-label={`${spec.title} trend, ${points.length} ${points.length === 1 ? 'reading' : 'readings'}${latest ? `, latest ${latest.text} ${spec.unit}` : ''}`}
          />
        ) : null}
      </Stack>
    </Paper>
  );
}

/** Trend charts of the patient's vitals (oldest to newest, left to right), each with its latest value in words. */
export function VitalsCharts({ patientId, onRecord }: { patientId: string; onRecord?: () => void }) {
  const series = useProcedureQuery('vitals.series', { patientId });
  const { timeZone } = useClinic();
  if (series.isError) return <ErrorAlert>{errorMessage(series.error)}</ErrorAlert>;
  if (!series.data)
    return (
      <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} aria-busy="true" aria-label="Loading vitals">
        <Skeleton h={200} />
        <Skeleton h={200} />
      </SimpleGrid>
    );
  if (series.data.length === 0) {
    return (
      <Paper withBorder radius="md" p="lg">
        <EmptyState
          icon={<IconActivityHeartbeat size={28} aria-hidden />}
          title="No vitals recorded yet"
          description="Blood pressure, pulse, temperature, SpO₂, weight and BMI appear here as trend charts once vitals are recorded."
        >
          {onRecord ? (
            <Button mt="sm" variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={onRecord}>
              Record the first vitals
            </Button>
          ) : null}
        </EmptyState>
      </Paper>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="sm" verticalSpacing="sm">
      {CHARTS.map((spec) => (
        <VitalsChart key={spec.id} spec={spec} readings={series.data} timeZone={timeZone} />
      ))}
    </SimpleGrid>
  );
}
