import { type CSSVariablesResolver, createTheme, Modal, PasswordInput } from '@mantine/core';

/** System fonts only: the CSP allows no external fonts, and the app must look right offline. */
export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  focusRing: 'auto',
  cursorType: 'pointer',
  headings: { fontWeight: '650' },
  components: {
    // Mantine's close button has only an icon; give it a name screen readers can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    PasswordInput: PasswordInput.extend({
      // Mantine's own label ("Toggle password visibility") would make "Password" name two controls.
      defaultProps: { visibilityToggleButtonProps: { 'aria-label': 'Show or hide the characters' } },
    }),
  },
});

/** Mantine's dimmed grey (gray.6) is below WCAG AA contrast for small text; gray.7 passes. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
