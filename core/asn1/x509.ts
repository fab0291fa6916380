// @peculiar/x509 behind its required reflect polyfill: import x509 from here, never directly.
import 'reflect-metadata';

export * as x509 from '@peculiar/x509';
