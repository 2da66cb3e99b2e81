import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { createQueryClient } from './queryClient.js';
import { Root } from './shell/Root.js';
import { cssVariablesResolver, theme } from './theme.js';

/**
 * Providers only. Routes live in the hash (#/settings) so the same build works from the browser
 * host over HTTP and from a file or custom protocol inside Electron.
 */
export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <Router hook={useHashLocation}>
          <Root />
        </Router>
      </QueryClientProvider>
    </MantineProvider>
  );
}
