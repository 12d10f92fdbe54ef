; Inno Setup script for the Windows installer of counter-app (Inno Setup 6, https://jrsoftware.org).
; Build on Windows, after packaging\build.sh (Git Bash) or
;   python -m PyInstaller --noconfirm --distpath dist packaging\counter_app.spec
; then:  "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DVersion=0.1.0 packaging\windows\counter-app.iss
; Output: dist\counter-app-setup-0.1.0.exe. NOT built or tested on the Linux build machine.
;
; Installs into Program Files, a Start-menu entry per role, an optional autostart (with restart)
; for a kiosk / hall display / evaluator PC, and an optional scheduled task that runs the hub at
; boot and restarts it after a failure. Uninstalling keeps every record: the data folder
; (%LOCALAPPDATA%\counter_app or %ProgramData%\counter_app\hub) is never touched.

#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6F3C2A9E-5B1D-4C8E-9A51-2C0D8E7B4F11}
AppName=counter-app 营业厅窗口系统
AppVersion={#Version}
AppPublisher=counter_app
DefaultDirName={autopf}\counter-app
DefaultGroupName=counter-app
OutputDir=..\..\dist
OutputBaseFilename=counter-app-setup-{#Version}
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
WizardStyle=modern

[Languages]
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "autostart_kiosk"; Description: "取号机开机自动运行 / start the kiosk at logon"; Flags: unchecked exclusive
Name: "autostart_display"; Description: "叫号大屏开机自动运行 / start the hall display at logon"; Flags: unchecked exclusive
Name: "autostart_evaluator"; Description: "评价器开机自动运行 / start the evaluator at logon"; Flags: unchecked exclusive
Name: "hub_task"; Description: "本机为营业厅服务器（开机启动 hub）/ this PC is the branch hub"; Flags: unchecked

[Files]
Source: "..\..\dist\counter-app\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion
Source: "counter-app-keepalive.cmd"; DestDir: "{app}"
Source: "counter-app-hub-task.xml"; DestDir: "{app}"

[Dirs]
Name: "{commonappdata}\counter_app\hub"; Permissions: users-modify

[Icons]
Name: "{group}\营业窗口 Counter"; Filename: "{app}\counter-app.exe"; Parameters: "counter"
Name: "{group}\主任工作台 Manager"; Filename: "{app}\counter-app.exe"; Parameters: "manager"
Name: "{group}\取号机 Kiosk"; Filename: "{app}\counter-app.exe"; Parameters: "kiosk"
Name: "{group}\叫号大屏 Hall display"; Filename: "{app}\counter-app.exe"; Parameters: "display"
Name: "{group}\评价器 Evaluator"; Filename: "{app}\counter-app.exe"; Parameters: "evaluator"
Name: "{group}\总部控制台 Head-office console"; Filename: "{app}\counter-app.exe"; Parameters: "hq-console"
Name: "{group}\首次设置 Set-up"; Filename: "{app}\counter-app.exe"; Parameters: "setup"
Name: "{group}\自检 Self-check"; Filename: "{cmd}"; Parameters: "/k ""{app}\counter-app-console.exe"" selfcheck"
Name: "{commonstartup}\counter-app kiosk"; Filename: "{app}\counter-app-keepalive.cmd"; Parameters: "kiosk"; Tasks: autostart_kiosk; Flags: runminimized
Name: "{commonstartup}\counter-app display"; Filename: "{app}\counter-app-keepalive.cmd"; Parameters: "display"; Tasks: autostart_display; Flags: runminimized
Name: "{commonstartup}\counter-app evaluator"; Filename: "{app}\counter-app-keepalive.cmd"; Parameters: "evaluator"; Tasks: autostart_evaluator; Flags: runminimized

[Run]
Filename: "{sys}\schtasks.exe"; Parameters: "/Create /F /TN ""counter-app hub"" /XML ""{app}\counter-app-hub-task.xml"""; Tasks: hub_task; Flags: runhidden
Filename: "{app}\counter-app.exe"; Parameters: "setup --no-start"; Description: "首次设置 / first-run set-up"; Flags: postinstall nowait skipifsilent

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""counter-app hub"""; Flags: runhidden; RunOnceId: "hubtask"
