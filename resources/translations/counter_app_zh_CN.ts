<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CounterWindow</name>
    <message>
        <source>Counter — window {n}</source>
        <translation>窗口工作台 — {n}号窗口</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Clerk: {name} {staff_no}</source>
        <translation>营业员：{name} {staff_no}</translation>
    </message>
    <message>
        <source>Window {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <source>No window</source>
        <translation>未设置窗口</translation>
    </message>
    <message>
        <source>Printer: {name}</source>
        <translation>打印机：{name}</translation>
    </message>
    <message>
        <source>Printer: none, receipts saved as PDF</source>
        <translation>未配置打印机，票据存为PDF</translation>
    </message>
    <message>
        <source>Hub: checking…</source>
        <translation>叫号服务器：检查中…</translation>
    </message>
    <message>
        <source>To sync: …</source>
        <translation>待同步：…</translation>
    </message>
    <message>
        <source>Hub: not configured</source>
        <translation>叫号服务器：未配置</translation>
    </message>
    <message>
        <source>To sync: {n}</source>
        <translation>待同步：{n}</translation>
    </message>
    <message>
        <source> (quarantined: {n})</source>
        <translation>（隔离：{n}）</translation>
    </message>
    <message>
        <source>Hub: connected</source>
        <translation>叫号服务器：已连接</translation>
    </message>
    <message>
        <source>Hub: unreachable</source>
        <translation>叫号服务器：无法连接</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Unexpected error</source>
        <translation>程序出错</translation>
    </message>
    <message>
        <source>Something went wrong. Nothing you confirmed is lost.
Please tell IT and give them the log file:
{log}</source>
        <translation>程序遇到意外错误，已确认的业务不会丢失。
请联系信息技术人员，并提供日志文件：
{log}</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Hello, {name} ({staff_no})</source>
        <translation>您好，{name}（工号 {staff_no}）</translation>
    </message>
    <message>
        <source>This PC is not set up for a window of this branch.</source>
        <translation>本机尚未配置为本营业厅的窗口。</translation>
    </message>
    <message>
        <source>Window {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <source>Services at this window: {names}</source>
        <translation>本窗口办理业务：{names}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Staff login</source>
        <translation>员工登录</translation>
    </message>
    <message>
        <source>Window {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（未设置）</translation>
    </message>
    <message>
        <source>Enter your staff number.</source>
        <translation>请输入工号。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: this account is locked until {time}.</source>
        <translation>密码错误次数过多，账户已锁定至 {time}。</translation>
    </message>
    <message>
        <source>This account is disabled. Please ask your manager.</source>
        <translation>该账户已停用，请联系营业所主任。</translation>
    </message>
    <message>
        <source>Wrong staff number or password.</source>
        <translation>工号或密码错误。</translation>
    </message>
    <message>
        <source>Login failed: {error}</source>
        <translation>登录失败：{error}</translation>
    </message>
</context>
<context>
    <name>LoginForm</name>
    <message>
        <source>Staff login</source>
        <translation>员工登录</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
</TS>