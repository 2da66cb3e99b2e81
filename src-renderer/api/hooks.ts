import { type UseQueryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { InputOf, OutputOf, ProcedureName } from '../../src-shared/contract/index.js';
import { type ApiError, call, proceduresReading, queryKey } from './client.js';
import { transport } from './transport.js';

export function useProcedureQuery<N extends ProcedureName>(
  name: N,
  input: InputOf<N>,
  options: Omit<UseQueryOptions<OutputOf<N>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<OutputOf<N>, ApiError>({ queryKey: queryKey(name, input), queryFn: () => call(name, input), ...options });
}

export function useProcedureMutation<N extends ProcedureName>(name: N) {
  return useMutation<OutputOf<N>, ApiError, InputOf<N>>({ mutationFn: (input) => call(name, input) });
}

/**
 * Queries never go stale by time (staleTime: Infinity); they are fetched again when the main
 * side reports that a commit changed a table they read.
 */
export function useTableChangeInvalidation(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return transport.subscribeTables((tables) => {
      for (const name of proceduresReading(tables)) void queryClient.invalidateQueries({ queryKey: [name] });
    });
  }, [enabled, queryClient]);
}
