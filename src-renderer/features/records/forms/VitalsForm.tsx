import { zodResolver } from '@hookform/resolvers/zod';
import { NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import type { VitalsOut } from '../../../../src-shared/contract/records.js';
import { type VitalsFields, vitalsFields } from '../../../../src-shared/schemas/records.js';
import type { ApiError } from '../../../api/client.js';
import { useProcedureMutation } from '../../../api/hooks.js';
import { notifySuccess } from '../../../ui/notify.js';
import { applyServerFieldErrors } from '../../../ui/serverErrors.js';
import { FormButtons, RefusalAlert } from '../shared.js';

type Key = keyof VitalsFields;
type VitalsValues = Record<Key, number | string>;

interface FieldSpec {
  key: Key;
  label: string;
  decimals: boolean;
  placeholder: string;
}

/** Units in every label; the shared schema's messages name the same units. */
export const VITALS_FIELDS: readonly FieldSpec[] = [
  { key: 'systolic', label: 'Systolic (mmHg)', decimals: false, placeholder: 'e.g. 120' },
  { key: 'diastolic', label: 'Diastolic (mmHg)', decimals: false, placeholder: 'e.g. 80' },
  { key: 'pulse', label: 'Pulse (beats/min)', decimals: false, placeholder: 'e.g. 72' },
  { key: 'temperatureC', label: 'Temperature (°C)', decimals: true, placeholder: 'e.g. 36.8' },
  { key: 'respiratoryRate', label: 'Respiratory rate (breaths/min)', decimals: false, placeholder: 'e.g. 16' },
  { key: 'spo2', label: 'SpO₂ (%)', decimals: false, placeholder: 'e.g. 98' },
  { key: 'weightKg', label: 'Weight (kg)', decimals: true, placeholder: 'e.g. 70.5' },
  { key: 'heightCm', label: 'Height (cm)', decimals: true, placeholder: 'e.g. 172' },
  { key: 'glucoseMmolL', label: 'Glucose (mmol/L)', decimals: true, placeholder: 'e.g. 5.4' },
];
const KEYS = VITALS_FIELDS.map((field) => field.key);

function toNumberOrNull(value: number | string | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (text === '') return null;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : text;
}

const schema = z.preprocess((values: VitalsValues) => Object.fromEntries(KEYS.map((key) => [key, toNumberOrNull(values[key])])), vitalsFields);

function bmiPreview(weight: unknown, height: unknown): string | null {
  const kg = toNumberOrNull(weight as number | string);
  const cm = toNumberOrNull(height as number | string);
  if (typeof kg !== 'number' || typeof cm !== 'number' || cm < 20 || kg <= 0) return null;
  return (kg / (cm / 100) ** 2).toFixed(1);
}

/** A set of vitals: any of the measurements, blood pressure as a pair. Taken now. */
export function VitalsForm({ patientId, onSaved, onCancel }: { patientId: string; onSaved: (saved: VitalsOut) => void; onCancel: () => void }) {
  const record = useProcedureMutation('vitals.record');
  const [formRefusal, setFormRefusal] = useState<ApiError | null>(null);
  const form = useForm<VitalsValues, unknown, VitalsFields>({
    resolver: zodResolver(schema) as never,
    defaultValues: Object.fromEntries(KEYS.map((key) => [key, ''])) as VitalsValues,
  });
  const { errors } = form.formState;
  const [weight, height] = useWatch({ control: form.control, name: ['weightKg', 'heightCm'] });
  const bmi = bmiPreview(weight, height);

  const onSubmit = form.handleSubmit(
    async (vitals) => {
      setFormRefusal(null);
      try {
        const saved = await record.mutateAsync({ patientId, vitals });
        notifySuccess('Vitals recorded', 'They are on the chart and in the trend charts.');
        onSaved(saved);
      } catch (error) {
        const map = Object.fromEntries(KEYS.map((key) => [`vitals.${key}`, key]));
        if (!applyServerFieldErrors(error, form.setError, KEYS, map)) setFormRefusal(error as ApiError);
      }
    },
    () => setFormRefusal(null),
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Record vitals">
      <Stack gap="md">
        <Text fz="sm" c="dimmed">
          Fill in what was measured; leave the rest empty. Blood pressure needs both numbers.
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="md" verticalSpacing="sm">
          {VITALS_FIELDS.map((spec, index) => (
            <Controller
              key={spec.key}
              control={form.control}
              name={spec.key}
              render={({ field, fieldState }) => (
                <NumberInput
                  ref={field.ref}
                  name={field.name}
                  label={spec.label}
                  placeholder={spec.placeholder}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  allowDecimal={spec.decimals}
                  allowNegative={false}
                  decimalScale={spec.decimals ? 2 : 0}
                  hideControls
                  inputMode={spec.decimals ? 'decimal' : 'numeric'}
                  error={fieldState.error?.message}
                  data-autofocus={index === 0 ? true : undefined}
                />
              )}
            />
          ))}
        </SimpleGrid>
        <Text fz="sm" aria-live="polite">
          {bmi ? (
            <>
              BMI from this weight and height: <strong>{bmi}</strong>
            </>
          ) : (
            'BMI is worked out from the weight and the latest height.'
          )}
        </Text>
        <RefusalAlert error={formRefusal} />
        {errors.root?.message ? <Text c="red.8">{errors.root.message}</Text> : null}
        <FormButtons onCancel={onCancel} submitLabel="Save vitals" busy={form.formState.isSubmitting} extra="Enter saves" />
      </Stack>
    </form>
  );
}
