import { zodResolver } from '@hookform/resolvers/zod';
import { type UseMutationResult, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type DefaultValues, type FieldValues, type Path, type UseFormReturn, useForm } from 'react-hook-form';
import type { z } from 'zod';
import type { ProcedureName } from '../../../src-shared/contract/index.js';
import { type ApiError, queryKey } from '../../api/client.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';

/** Settings as the server keeps them: saving names the version the form was filled from. */
export interface Versioned {
  version: number;
}

/** What a settings form is given: the settings as loaded, and a way to fetch them again. */
export interface LoadedSettings<L extends Versioned> {
  loaded: L;
  reload: () => Promise<L | undefined>;
}

export interface VersionedSettingsFormOptions<L extends Versioned, V extends FieldValues> extends LoadedSettings<L> {
  /** The query that loaded the settings: a save puts the server's answer in its cache. */
  query: ProcedureName;
  /** The update procedure: it takes the form's values with the version they were loaded at. */
  update: UseMutationResult<L, ApiError, V & Versioned>;
  schema: z.ZodType<V, V>;
  formValues: (settings: L) => V;
  /** The form's fields in screen order, for the server's per-field sentences. */
  fields: readonly Path<V>[];
  /** Announces a save (the form is already reset to what was saved). */
  onSaved: (saved: L) => void;
}

export interface VersionedSettingsForm<V extends FieldValues> {
  form: UseFormReturn<V>;
  onSubmit: () => Promise<void>;
  /** Puts back the values as loaded. */
  undo: () => void;
  /** The last save's refusal, if it failed; CONFLICT means another desk saved first. */
  failure: ApiError | null;
  /** Fills the form again from the server (after a CONFLICT). */
  onReload: () => Promise<void>;
  reloading: boolean;
}

/**
 * A form over settings the server keeps with a version: the form is filled from the version it
 * was loaded at and saves with it, so that a save over someone else's newer one is refused
 * (CONFLICT) rather than silently undoing it; the refusal offers a reload.
 */
export function useVersionedSettingsForm<L extends Versioned, V extends FieldValues>({
  loaded,
  reload,
  query,
  update,
  schema,
  formValues,
  fields,
  onSaved,
}: VersionedSettingsFormOptions<L, V>): VersionedSettingsForm<V> {
  const queryClient = useQueryClient();
  /** The version this form was filled from: saving with it tells the server what we saw. */
  const [version, setVersion] = useState(loaded.version);
  const [reloading, setReloading] = useState(false);
  const form = useForm<V>({ resolver: zodResolver(schema), defaultValues: formValues(loaded) as DefaultValues<V> });
  const { isDirty } = form.formState;

  // Another desk saved while this form is untouched: show theirs. With edits under way, keep them;
  // saving will then answer CONFLICT and offer a reload.
  useEffect(() => {
    if (loaded.version !== version && !isDirty) {
      form.reset(formValues(loaded));
      setVersion(loaded.version);
    }
  }, [loaded, version, isDirty, form, formValues]);

  const onSubmit = form.handleSubmit(
    async (values) => {
      try {
        const saved = await update.mutateAsync({ ...values, version });
        queryClient.setQueryData(queryKey(query), saved);
        form.reset(formValues(saved));
        setVersion(saved.version);
        onSaved(saved);
      } catch (error) {
        applyServerFieldErrors(error, form.setError, fields);
      }
    },
    () => update.reset(),
  );

  const onReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) {
        form.reset(formValues(fresh));
        setVersion(fresh.version);
        update.reset();
      }
    } finally {
      setReloading(false);
    }
  };

  return {
    form,
    onSubmit,
    undo: () => form.reset(formValues(loaded)),
    failure: update.isError ? update.error : null,
    onReload,
    reloading,
  };
}
