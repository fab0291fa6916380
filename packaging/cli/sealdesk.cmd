@echo off
rem The `sealdesk` command of an installed Sealdesk (Windows): runs the command line inside Sealdesk.exe (--cli),
rem which is how it works with Electron's RunAsNode fuse off. Installed in <app>\resources\bin; add that folder to PATH.
setlocal
set "SEALDESK_APP=%~dp0..\..\Sealdesk.exe"
if not exist "%SEALDESK_APP%" (
  echo sealdesk: the Sealdesk app was not found beside %~dp0 1>&2
  exit /b 127
)
"%SEALDESK_APP%" --cli -- %*
exit /b %ERRORLEVEL%
