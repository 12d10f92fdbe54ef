@echo off
rem Keep a hall screen running (kiosk, display, evaluator): restart 5 s after it ends.
rem   counter-app-keepalive.cmd ROLE
:again
"%~dp0counter-app.exe" %*
timeout /t 5 /nobreak >nul
goto again
