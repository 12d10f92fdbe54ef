<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountPanel</name>
    <message>
        <source>User type</source>
        <translation>用户类型</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>水表</translation>
    </message>
    <message>
        <source>Balance (预存)</source>
        <translation>预存余额</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>账期</translation>
    </message>
    <message>
        <source>Readings</source>
        <translation>起止读数</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用水量</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>应缴</translation>
    </message>
    <message>
        <source>Due by</source>
        <translation>缴费期限</translation>
    </message>
    <message>
        <source>Outstanding b&amp;ills (oldest first; Space ticks or unticks):</source>
        <translation>欠费账单(&amp;I)（从最早的起；空格键勾选/取消）：</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>&amp;Last payments (choose one to void or reprint):</source>
        <translation>最近缴费(&amp;L)（选中一笔可冲正或补打）：</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Account {no}</source>
        <translation>户号 {no}</translation>
    </message>
    <message>
        <source>No outstanding bills.</source>
        <translation>没有欠费账单。</translation>
    </message>
    <message>
        <source>{owed} (of {amount})</source>
        <translation>{owed}（原 {amount}）</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>{price} per m³</source>
        <translation>{price}/m³</translation>
    </message>
    <message>
        <source>Late fee (违约金): {days} days overdue from {first}</source>
        <translation>违约金：自 {first} 起逾期 {days} 天</translation>
    </message>
    <message>
        <source>, capped</source>
        <translation>，已达封顶</translation>
    </message>
    <message>
        <source>, partly paid already</source>
        <translation>，已部分缴纳</translation>
    </message>
</context>
<context>
    <name>AccountSearch</name>
    <message>
        <source>Account number, meter number, name or address, or scan the bill</source>
        <translation>户号、表号、户名或地址，或扫描账单条码</translation>
    </message>
    <message>
        <source>&amp;Find account ({key}):</source>
        <translation>查找用户(&amp;F)（{key}）：</translation>
    </message>
    <message>
        <source>searching…</source>
        <translation>查找中…</translation>
    </message>
    <message>
        <source>{n} found</source>
        <translation>找到 {n} 户</translation>
    </message>
</context>
<context>
    <name>Announcer</name>
    <message>
        <source>(default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <source>Voice calls off: speech engine {engine} is not installed and {used} does not work ({error}).</source>
        <translation>语音叫号已停：未安装语音引擎 {engine}，{used} 也无法工作（{error}）。</translation>
    </message>
    <message>
        <source>Voice calls off: the speech engine {engine} does not work ({error}).</source>
        <translation>语音叫号已停：语音引擎 {engine} 无法工作（{error}）。</translation>
    </message>
    <message>
        <source>Speech engine {engine} is not installed; speaking with {used}.</source>
        <translation>未安装语音引擎 {engine}，改用 {used} 播报。</translation>
    </message>
</context>
<context>
    <name>ApplicationDetailView</name>
    <message>
        <source>No application chosen</source>
        <translation>未选择申请</translation>
    </message>
    <message>
        <source>Applicant:</source>
        <translation>申请人：</translation>
    </message>
    <message>
        <source>Site address:</source>
        <translation>用水地址：</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Stage due:</source>
        <translation>本环节到期：</translation>
    </message>
    <message>
        <source>Working days used:</source>
        <translation>已用工作日：</translation>
    </message>
    <message>
        <source>Taken at:</source>
        <translation>受理窗口：</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Result / reason</source>
        <translation>结果 / 原因</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Limit (working days)</source>
        <translation>时限（工作日）</translation>
    </message>
    <message>
        <source>Promised date</source>
        <translation>承诺完成日期</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Stage history</source>
        <translation>办理记录</translation>
    </message>
    <message>
        <source>Stages ahead</source>
        <translation>后续环节</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>资料清单</translation>
    </message>
    <message>
        <source>{status} — stage: {stage}</source>
        <translation>{status}，当前环节：{stage}</translation>
    </message>
    <message>
        <source>{n} working days</source>
        <translation>{n} 个工作日</translation>
    </message>
    <message>
        <source> (plus {n} stopped for missing documents)</source>
        <translation>（另有待补件停表 {n} 个工作日，不计入）</translation>
    </message>
    <message>
        <source>Next step: {step}</source>
        <translation>下一步：{step}</translation>
    </message>
    <message>
        <source>window {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <source>back office</source>
        <translation>后台</translation>
    </message>
    <message>
        <source>copy as of {time}</source>
        <translation>副本更新于 {time}</translation>
    </message>
</context>
<context>
    <name>ApplicationPages</name>
    <message>
        <source>Connection application</source>
        <translation>报装受理</translation>
    </message>
    <message>
        <source>Application status</source>
        <translation>报装查询</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>报装后台</translation>
    </message>
</context>
<context>
    <name>ApplicationWords</name>
    <message>
        <source>Application type</source>
        <extracomment>Larger controls than Qt&apos;s defaults, for reading and clicking at the counter (on top of hall.qss). Row colours of the due states (text says the same, colour is only a second cue).</extracomment>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人类型</translation>
    </message>
    <message>
        <source>Applicant name</source>
        <translation>申请人名称</translation>
    </message>
    <message>
        <source>Resident ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Site address</source>
        <translation>用水地址</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Meter size / capacity</source>
        <translation>表径/容量</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询内容</translation>
    </message>
    <message>
        <source>Application number</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Due within 1 working day</source>
        <translation>一个工作日内到期</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Clock stopped: documents missing</source>
        <translation>待补件，暂停计时</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>Waiting for documents</source>
        <translation>待补件</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Not passed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Sent back</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Clock stopped</source>
        <translation>停表待补件</translation>
    </message>
    <message>
        <source>Clock restarted</source>
        <translation>资料补齐，恢复计时</translation>
    </message>
    <message>
        <source>Documents handed in</source>
        <translation>补交资料</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已收</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation>不适用</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Concerning</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Head office&apos;s audit log (newest first)</source>
        <translation>总部审计日志（最新在前）</translation>
    </message>
</context>
<context>
    <name>BackOfficePage</name>
    <message>
        <source>All stages</source>
        <translation>全部环节</translation>
    </message>
    <message>
        <source>Only due soon or overdue</source>
        <translation>只看临期和超期</translation>
    </message>
    <message>
        <source>Refresh ({key})</source>
        <translation>刷新 ({key})</translation>
    </message>
    <message>
        <source>&amp;Stage:</source>
        <translation>环节(&amp;S)：</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>颜色说明：</translation>
    </message>
    <message>
        <source>Record this stage</source>
        <translation>办理本环节</translation>
    </message>
    <message>
        <source>e.g. survey done, pipe route agreed</source>
        <translation>如：勘查完成，管线走向已确认</translation>
    </message>
    <message>
        <source>&amp;Result:</source>
        <translation>办理结果(&amp;R)：</translation>
    </message>
    <message>
        <source>Passed: go to the next stage</source>
        <translation>通过，进入下一环节</translation>
    </message>
    <message>
        <source>Not passed: keep at this stage</source>
        <translation>未通过，留在本环节</translation>
    </message>
    <message>
        <source>why it goes back</source>
        <translation>退回原因</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Back to:</source>
        <translation>退回到：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Attach documents…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <source>{n} applications, {late} due soon or overdue</source>
        <translation>共 {n} 件，临期或超期 {late} 件</translation>
    </message>
    <message>
        <source>Choose documents to attach</source>
        <translation>选择要添加的附件</translation>
    </message>
    <message>
        <source>Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)</source>
        <translation>扫描件和照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Saved: {number} is now {status}.</source>
        <translation>已保存：{number} 现为“{status}”。</translation>
    </message>
</context>
<context>
    <name>BranchBox</name>
    <message>
        <source>All branches</source>
        <translation>全部营业厅</translation>
    </message>
</context>
<context>
    <name>BranchEditor</name>
    <message>
        <source>Branch</source>
        <translation>营业厅</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <source>Call next</source>
        <translation>叫号</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <source>Start service</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转移</translation>
    </message>
    <message>
        <source>Back to queue</source>
        <translation>回到队列</translation>
    </message>
    <message>
        <source>Pause / resume</source>
        <translation>暂停 / 恢复</translation>
    </message>
    <message>
        <source>Open / close window</source>
        <translation>开窗 / 关窗</translation>
    </message>
    <message>
        <source>Call selected</source>
        <translation>叫选中号</translation>
    </message>
    <message>
        <source>Call back held</source>
        <translation>回呼挂起号</translation>
    </message>
    <message>
        <source>End-of-day reset (日终清号)…</source>
        <translation>日终清号…</translation>
    </message>
    <message>
        <source>Force-close a window (强制关窗)…</source>
        <translation>强制关闭窗口…</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先</translation>
    </message>
    <message>
        <source>Waited</source>
        <translation>已等候</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候中</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>已挂起</translation>
    </message>
    <message>
        <source>No window is open under another clerk.</source>
        <translation>没有其他营业员开着的窗口。</translation>
    </message>
    <message>
        <source>Window {n}: {name} {staff_no}</source>
        <translation>{n}号窗口：{name} {staff_no}</translation>
    </message>
    <message>
        <source>Force-close a window</source>
        <translation>强制关闭窗口</translation>
    </message>
    <message>
        <source>Window to close:</source>
        <translation>要关闭的窗口：</translation>
    </message>
    <message>
        <source>Why is window {n} closed? (kept in the log)</source>
        <translation>为什么关闭{n}号窗口？（记入日志）</translation>
    </message>
    <message>
        <source>Window {n} closed; a ticket still there is held for it.</source>
        <translation>{n}号窗口已关闭；窗口上未办完的号已挂起，可回呼。</translation>
    </message>
    <message>
        <source>Select a ticket in the waiting list first.</source>
        <translation>请先在等候列表中选择一个号码。</translation>
    </message>
    <message>
        <source>Select a held ticket first.</source>
        <translation>请先选择一个挂起的号码。</translation>
    </message>
    <message>
        <source>Service {letter} {name}</source>
        <translation>{letter} {name}业务</translation>
    </message>
    <message>
        <source>Window {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <source>Transfer the ticket to:</source>
        <translation>将此号转移到：</translation>
    </message>
    <message>
        <source>End-of-day reset</source>
        <translation>日终清号</translation>
    </message>
    <message>
        <source>Close every open ticket of today as cleared?
Customers still waiting will need a new ticket.</source>
        <translation>将今天所有未办结的号标记为“已清号”？
仍在等候的客户需要重新取号。</translation>
    </message>
    <message>
        <source>End-of-day reset done: {n} open tickets cleared.</source>
        <translation>日终清号完成：已清除 {n} 个未办结的号。</translation>
    </message>
    <message>
        <source>Nobody is waiting for this window&apos;s services.</source>
        <translation>本窗口业务暂无等候客户。</translation>
    </message>
    <message>
        <source>The queue server did not answer: {error}</source>
        <translation>叫号服务器无响应：{error}</translation>
    </message>
    <message>
        <source>{letter} {name}
{n} waiting</source>
        <translation>{letter} {name}
等候 {n} 人</translation>
    </message>
    <message>
        <source>Green channel</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>Window open</source>
        <translation>窗口已开启</translation>
    </message>
    <message>
        <source>Paused (暂停服务)</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>Window closed</source>
        <translation>窗口已关闭</translation>
    </message>
    <message>
        <source>Open under another clerk: {holder}</source>
        <translation>其他营业员开着此窗口：{holder}</translation>
    </message>
    <message>
        <source>Window {n} is open under {holder}. They must log out there, or the branch manager force-closes it.</source>
        <translation>{n}号窗口由{holder}开着。请其在原电脑上注销，或由营业所主任强制关窗。</translation>
    </message>
    <message>
        <source>Called ({n}×)</source>
        <translation>已呼叫（{n} 次）</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>No customer at the window</source>
        <translation>窗口暂无客户</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Set a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>Staff no. {no}: this password is a first one, or one reset at head office. Set a password of your own (at least 6 characters) before you start.</source>
        <translation>工号 {no}：当前密码是初始密码或总部重置的密码。开始工作前，请设置您自己的新密码（至少 6 个字符）。</translation>
    </message>
    <message>
        <source>Set the new password and log in</source>
        <translation>设置新密码并登录</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>The two entries differ: type the new password twice.</source>
        <translation>两次输入不一致：请把新密码输入两遍。</translation>
    </message>
</context>
<context>
    <name>ChartsPage</name>
    <message>
        <source>Count statistics on the Statistics page to draw them here.</source>
        <translation>在“统计”页查询后，图表显示在这里。</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>Arrivals and average wait by hour of day</source>
        <translation>各时段到达人数与平均等候</translation>
    </message>
    <message>
        <source>Arrivals</source>
        <translation>到达人数</translation>
    </message>
    <message>
        <source>Average wait (min)</source>
        <translation>平均等候（分钟）</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>Weekly volume</source>
        <translation>每周业务量</translation>
    </message>
    <message>
        <source>Daily volume</source>
        <translation>每日业务量</translation>
    </message>
    <message>
        <source>Tickets taken</source>
        <translation>取号</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>号数</translation>
    </message>
    <message>
        <source>Wait time distribution (minutes)</source>
        <translation>等候时长分布（分钟）</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>Satisfaction by clerk, per week (%)</source>
        <translation>营业员每周满意率（%）</translation>
    </message>
</context>
<context>
    <name>CodesPage</name>
    <message>
        <source>Counter (window PC)</source>
        <translation>窗口终端（窗口电脑）</translation>
    </message>
    <message>
        <source>Hub (branch server)</source>
        <translation>营业厅服务器</translation>
    </message>
    <message>
        <source>Ticket kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>Hall display</source>
        <translation>叫号大屏</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>评价器</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Issue code</source>
        <translation>生成注册码</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>营业厅</translation>
    </message>
    <message>
        <source>Node role</source>
        <translation>节点类型</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Valid for (days)</source>
        <translation>有效天数</translation>
    </message>
    <message>
        <source>New enrolment code</source>
        <translation>新注册码</translation>
    </message>
    <message>
        <source>Issue a code, then give it to the branch&apos;s IT person: counter-app enrol --hq ADDRESS --code CODE</source>
        <translation>生成注册码后交给营业厅的 IT 人员：counter-app enrol --hq 地址 --code 注册码</translation>
    </message>
    <message>
        <source>Save QR code as PNG…</source>
        <translation>二维码另存为 PNG…</translation>
    </message>
    <message>
        <source>Code to give to the branch (shown once)</source>
        <translation>交给营业厅的注册码（只显示一次）</translation>
    </message>
    <message>
        <source>{branch} {terminal}: valid once, until {until}.
At the branch: counter-app enrol --hq {url} --code {code}</source>
        <translation>{branch} {terminal}：限用一次，有效期至 {until}。
在营业厅执行：counter-app enrol --hq {url} --code {code}</translation>
    </message>
    <message>
        <source>Save QR code</source>
        <translation>保存二维码</translation>
    </message>
</context>
<context>
    <name>ConfigErrorDialog</name>
    <message>
        <source>Configuration error</source>
        <translation>配置错误</translation>
    </message>
    <message>
        <source>The program was not started: its configuration file has an error.</source>
        <translation>程序未启动：配置文件有误。</translation>
    </message>
    <message>
        <source>Setting: {key}
Expected: {rule}

Correct the file, or run “counter-app setup” to write it again. The log in the data folder has the same message.</source>
        <translation>设置项：{key}
要求：{rule}

请修改配置文件，或运行“counter-app setup”重新设置。数据文件夹中的日志有相同的记录。</translation>
    </message>
</context>
<context>
    <name>ConfigRules</name>
    <message>
        <source>a branch code of 2-10 capital letters and digits, e.g. B017</source>
        <translation>2至10位大写字母和数字组成的营业厅代码，如 B017</translation>
    </message>
    <message>
        <source>the branch name</source>
        <translation>营业厅名称</translation>
    </message>
    <message>
        <source>the utility&apos;s name</source>
        <translation>供水/供电公司名称</translation>
    </message>
    <message>
        <source>an IANA time zone such as Asia/Shanghai</source>
        <translation>IANA 时区名，如 Asia/Shanghai</translation>
    </message>
    <message>
        <source>an http(s) address such as http://192.168.1.10:8765</source>
        <translation>http(s) 地址，如 http://192.168.1.10:8765</translation>
    </message>
    <message>
        <source>an address to listen on, e.g. 0.0.0.0</source>
        <translation>监听地址，如 0.0.0.0</translation>
    </message>
    <message>
        <source>this device&apos;s token from &apos;counter-app hub-admin device-add&apos; (at least 8 characters without spaces)</source>
        <translation>本设备自己的令牌：在营业厅服务器（hub）上运行 counter-app hub-admin device-add 获取（至少8个字符，不含空格）</translation>
    </message>
    <message>
        <source>the evaluator device&apos;s token from &apos;counter-app hub-admin device-add --role evaluator&apos; (at least 8 characters without spaces), or empty</source>
        <translation>评价器设备自己的令牌：在营业厅服务器（hub）上运行 counter-app hub-admin device-add --role evaluator 获取（至少8个字符，不含空格），或留空</translation>
    </message>
    <message>
        <source>this branch&apos;s own device token (the example file&apos;s placeholder is refused)</source>
        <translation>本营业厅自己的设备令牌（不接受示例文件中的占位符）</translation>
    </message>
    <message>
        <source>an http(s) address of head office, or empty</source>
        <translation>总部的 http(s) 地址，或留空</translation>
    </message>
    <message>
        <source>the enrolment code from head office (6-64 letters, digits, -), or empty</source>
        <translation>总部下发的注册码（6至64位字母、数字或 -），或留空</translation>
    </message>
    <message>
        <source>a serial port such as COM3 or /dev/ttyUSB0</source>
        <translation>串口名，如 COM3 或 /dev/ttyUSB0</translation>
    </message>
    <message>
        <source>the number of this counter&apos;s window, e.g. window = 3</source>
        <translation>本窗口的窗口号，如 window = 3</translation>
    </message>
    <message>
        <source>an existing TOML file</source>
        <translation>已存在的 TOML 文件</translation>
    </message>
    <message>
        <source>a UTF-8 encoded TOML file</source>
        <translation>UTF-8 编码的 TOML 文件</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>text in quotes</source>
        <translation>带引号的文字</translation>
    </message>
</context>
<context>
    <name>ConsoleLoginDialog</name>
    <message>
        <source>Head office console</source>
        <translation>总部控制台</translation>
    </message>
    <message>
        <source>Head office console — operator login</source>
        <translation>总部控制台 — 操作员登录</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Head office</source>
        <translation>总部地址</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Head office: an address such as https://hq.example.cn</source>
        <translation>总部地址：须为 https://hq.example.cn 这样的地址</translation>
    </message>
    <message>
        <source>Login failed: {error}</source>
        <translation>登录失败：{error}</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <source>Head office console — {operator}</source>
        <translation>总部控制台 — {operator}</translation>
    </message>
    <message>
        <source>Branches and nodes</source>
        <translation>营业厅与节点</translation>
    </message>
    <message>
        <source>Enrolment codes</source>
        <translation>注册码</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>隔离事件</translation>
    </message>
    <message>
        <source>Reference data</source>
        <translation>基础资料</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Operator {operator} · head office {url}</source>
        <translation>操作员 {operator} · 总部 {url}</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>Your session at head office has ended; please log in again.</source>
        <translation>您在总部的登录已失效，请重新登录。</translation>
    </message>
</context>
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
        <source>Log out / switch clerk   {key}</source>
        <translation>注销 / 换人   {key}</translation>
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
        <source>Voice: {problem}</source>
        <translation>语音播报：{problem}</translation>
    </message>
    <message>
        <source>Voice: on</source>
        <translation>语音播报：正常</translation>
    </message>
    <message>
        <source>Call panel</source>
        <translation>叫号</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>Hub: not configured</source>
        <translation>叫号服务器：未配置</translation>
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
    <name>DocumentChecklist</name>
    <message>
        <source>Document</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已收</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source> (if it applies)</source>
        <translation>（如适用）</translation>
    </message>
    <message>
        <source>{n} missing: all of them go on the slip, told once.</source>
        <translation>尚缺 {n} 份：将全部写入回执，一次性告知。</translation>
    </message>
    <message>
        <source>All documents received.</source>
        <translation>资料齐全。</translation>
    </message>
</context>
<context>
    <name>Evaluator</name>
    <message>
        <source>Evaluator pad: connecting…</source>
        <translation>评价器：正在连接…</translation>
    </message>
    <message>
        <source>Evaluator: ready</source>
        <translation>评价器：就绪</translation>
    </message>
    <message>
        <source>Evaluator pad: connected</source>
        <translation>评价器：已连接</translation>
    </message>
    <message>
        <source>Evaluator pad: disconnected ({problem})</source>
        <translation>评价器：未连接（{problem}）</translation>
    </message>
    <message>
        <source>Rating received for {number}</source>
        <translation>已收到评价：{number}</translation>
    </message>
    <message>
        <source>Not rated: {number}</source>
        <translation>未评价：{number}</translation>
    </message>
    <message>
        <source>Rating of {number} recorded offline (hub unreachable)</source>
        <translation>{number} 的评价已在本机记录（集中服务器不可达）</translation>
    </message>
    <message>
        <source>Not rated: {number} (hub unreachable)</source>
        <translation>未评价：{number}（集中服务器不可达）</translation>
    </message>
</context>
<context>
    <name>EvaluatorWindow</name>
    <message>
        <source>Service evaluation — window {window}</source>
        <translation>服务评价 — {window}号窗口</translation>
    </message>
    <message>
        <source>Window {window}</source>
        <translation>{window}号窗口</translation>
    </message>
    <message>
        <source>Service star level</source>
        <translation>服务星级</translation>
    </message>
    <message>
        <source>Please rate this service</source>
        <translation>请您对本次服务进行评价</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Acceptable</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>What was wrong? Tick any that apply, then send.</source>
        <translation>请选择不满意的原因（可多选），然后点“提交评价”</translation>
    </message>
    <message>
        <source>Send rating</source>
        <translation>提交评价</translation>
    </message>
    <message>
        <source>Thank you for your rating!</source>
        <translation>谢谢您的评价！</translation>
    </message>
    <message>
        <source>Welcome back any time</source>
        <translation>欢迎您再次光临</translation>
    </message>
    <message>
        <source>Service paused</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>Please go to another window</source>
        <translation>请到其他窗口办理</translation>
    </message>
    <message>
        <source>Staff no. {staff_no}</source>
        <translation>工号：{staff_no}</translation>
    </message>
    <message>
        <source>Hello, welcome. I am glad to serve you.</source>
        <translation>您好，欢迎光临！很高兴为您服务</translation>
    </message>
    <message>
        <source>{seconds} s left</source>
        <translation>剩余 {seconds} 秒</translation>
    </message>
    <message>
        <source>Ticket {number}</source>
        <translation>票号 {number}</translation>
    </message>
</context>
<context>
    <name>FeePage</name>
    <message>
        <source>Type or scan the account number (户号), the meter number, part of the name or the address, then press Enter.</source>
        <translation>输入或扫描户号、表号、户名或地址的一部分，然后按回车。</translation>
    </message>
    <message>
        <source>Void (冲正)</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Reprint (补打)</source>
        <translation>补打收据</translation>
    </message>
    <message>
        <source>Refund (退费)</source>
        <translation>退费</translation>
    </message>
    <message>
        <source>Unprinted receipts</source>
        <translation>未打印收据</translation>
    </message>
    <message>
        <source>Daily settlement (日结)</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>collect</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>void</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>refund</source>
        <translation>退费</translation>
    </message>
    <message>
        <source>unprinted</source>
        <translation>未打印收据</translation>
    </message>
    <message>
        <source>日结</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>read the account again</source>
        <translation>重新读取</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>正在收款…</translation>
    </message>
    <message>
        <source>Paid: receipt {no}, total {total}.</source>
        <translation>收款成功：收据 {no}，合计 {total}。</translation>
    </message>
    <message>
        <source>Tendered {tendered}, CHANGE {change}.</source>
        <translation>实收 {tendered}，找零 {change}。</translation>
    </message>
    <message>
        <source>Printing the receipt…</source>
        <translation>正在打印收据…</translation>
    </message>
    <message>
        <source>Copy (补打) of {no}:</source>
        <translation>补打 {no}：</translation>
    </message>
    <message>
        <source>The receipt was NOT printed ({detail}). The payment is safe; press {key} to print it.</source>
        <translation>收据未打印（{detail}）。款项已入账；按 {key} 打印。</translation>
    </message>
    <message>
        <source>{n} receipts not printed: print them now   {key}</source>
        <translation>有 {n} 张收据未打印：立即打印   {key}</translation>
    </message>
    <message>
        <source>Receipt printed.</source>
        <translation>收据已打印。</translation>
    </message>
    <message>
        <source>No printer: receipt saved as {path}.</source>
        <translation>未设置打印机：收据已保存为 {path}。</translation>
    </message>
    <message>
        <source>Printing a copy (补打) of {no}…</source>
        <translation>正在补打 {no}…</translation>
    </message>
    <message>
        <source>Today is settled (日结) and locked: new payments count towards {day}.</source>
        <translation>今日已日结并锁定：新的收款计入 {day}。</translation>
    </message>
    <message>
        <source>Fees (收费)</source>
        <translation>收费</translation>
    </message>
</context>
<context>
    <name>FeeWords</name>
    <message>
        <source>Search</source>
        <extracomment>Larger controls than Qt&apos;s defaults (on top of hall.qss), and a focus frame on everything that takes the keyboard.</extracomment>
        <translation>查找</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>Prepayment</source>
        <translation>预存金额</translation>
    </message>
    <message>
        <source>Cash handed over</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>Reference number</source>
        <translation>交易参考号</translation>
    </message>
    <message>
        <source>Card / QR amount</source>
        <translation>刷卡/扫码金额</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>主任</translation>
    </message>
    <message>
        <source>Manager&apos;s staff number</source>
        <translation>主任工号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Cash counted</source>
        <translation>实点现金</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>缴费</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>预存余额</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>号票</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>扫码支付</translation>
    </message>
    <message>
        <source>From balance</source>
        <translation>预存抵扣</translation>
    </message>
    <message>
        <source>Payment (voided)</source>
        <translation>缴费（已冲正）</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退费</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <source>saved as PDF</source>
        <translation>已存为 PDF</translation>
    </message>
    <message>
        <source>not printed</source>
        <translation>未打印</translation>
    </message>
</context>
<context>
    <name>FollowUpList</name>
    <message>
        <source>Open</source>
        <translation>未结案</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Rated at</source>
        <translation>评价时间</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>票号</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>差评跟进</translation>
    </message>
    <message>
        <source>What was found, done or said, and with whom</source>
        <translation>查明的情况、采取的措施或回访内容，以及联系人</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Outcome in one sentence</source>
        <translation>一句话说明处理结果</translation>
    </message>
    <message>
        <source>Close follow-up</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Closed: {result}</source>
        <translation>已结案：{result}</translation>
    </message>
    <message>
        <source>To record: {steps}</source>
        <translation>待记录：{steps}</translation>
    </message>
    <message>
        <source>Ready to close</source>
        <translation>可结案</translation>
    </message>
    <message>
        <source>walk-in</source>
        <translation>无票</translation>
    </message>
    <message>
        <source> (overdue)</source>
        <translation>（逾期）</translation>
    </message>
    <message>
        <source>{count} listed, {overdue} overdue</source>
        <translation>共 {count} 条，逾期 {overdue} 条</translation>
    </message>
    <message>
        <source>Choose a follow-up in the list.</source>
        <translation>请在左侧列表中选择一条差评跟进。</translation>
    </message>
    <message>
        <source>{level} from ticket {ticket} at window {window}, clerk {clerk}; opened {opened}, due {deadline}</source>
        <translation>{window}号窗口 票号 {ticket}：{level}；营业员 {clerk}；{opened} 立案，{deadline} 前整改</translation>
    </message>
    <message>
        <source>Before closing, record: {steps}</source>
        <translation>结案前还需记录：{steps}</translation>
    </message>
    <message>
        <source>Please write what was done before recording it.</source>
        <translation>请先填写内容再记录。</translation>
    </message>
    <message>
        <source>Please write the outcome before closing.</source>
        <translation>请先填写处理结果再结案。</translation>
    </message>
</context>
<context>
    <name>FromDay</name>
    <message>
        <source>in use from {day}</source>
        <translation>自 {day} 起启用</translation>
    </message>
    <message>
        <source>in use</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>serves {codes}</source>
        <translation>办理 {codes}</translation>
    </message>
    <message>
        <source>from {day}: {changes}</source>
        <translation>自 {day} 起：{changes}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>GreenPage</name>
    <message>
        <source>Senior citizen</source>
        <translation>老年人</translation>
    </message>
    <message>
        <source>Person with a disability</source>
        <translation>残疾人</translation>
    </message>
    <message>
        <source>Pregnant woman</source>
        <translation>孕妇</translation>
    </message>
    <message>
        <source>Serviceman or veteran</source>
        <translation>军人、退役军人</translation>
    </message>
    <message>
        <source>Green channel</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <source>Served before the other customers of the same service. Please show your ID or certificate at the window when you are called.</source>
        <translation>同一业务优先办理。叫号后请在窗口出示身份证或相关证件。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>HQConsole</name>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>{n} s ago</source>
        <translation>{n} 秒前</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>{n} 分钟前</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>{n} 小时前</translation>
    </message>
    <message>
        <source>{n} days ago</source>
        <translation>{n} 天前</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>营业厅</translation>
    </message>
    <message>
        <source>Node role</source>
        <translation>节点类型</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Valid for (days)</source>
        <translation>有效天数</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>In force from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>日历</translation>
    </message>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Ticket letter</source>
        <translation>票号字母</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>办理业务</translation>
    </message>
    <message>
        <source>Policy table</source>
        <translation>参数表</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>Offline login until</source>
        <translation>离线登录截止</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>营业厅</translation>
    </message>
</context>
<context>
    <name>HallBoard</name>
    <message>
        <source>Connecting to the hub…</source>
        <translation>正在连接叫号服务器…</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>当前号</translation>
    </message>
    <message>
        <source>For (min)</source>
        <translation>时长（分）</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候人数</translation>
    </message>
    <message>
        <source>Longest wait (min)</source>
        <translation>最长等候（分）</translation>
    </message>
    <message>
        <source>Target (min)</source>
        <translation>目标（分）</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Waiting per service</source>
        <translation>各业务等候</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>open</source>
        <translation>开放</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>called</source>
        <translation>已呼叫</translation>
    </message>
    <message>
        <source>serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>{branch} — {date}: {waiting} waiting, {open} windows open</source>
        <translation>{branch} — {date}：等候 {waiting} 人，开放窗口 {open} 个</translation>
    </message>
    <message>
        <source>No alerts</source>
        <translation>无提醒</translation>
    </message>
</context>
<context>
    <name>HallDisplay</name>
    <message>
        <source>Hall display</source>
        <translation>叫号大屏</translation>
    </message>
    <message>
        <source>Now calling</source>
        <translation>正在呼叫</translation>
    </message>
    <message>
        <source>Connecting to the queue server…</source>
        <translation>正在连接叫号服务器…</translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation>最近呼叫</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候人数</translation>
    </message>
    <message>
        <source>After taking a ticket please wait in the seating area and follow the screen and the voice calls. A missed number is void: please take a new ticket.</source>
        <translation>取号后请在休息区等候，注意留意大屏显示和语音叫号！过号无效，请重新取号。</translation>
    </message>
    <message>
        <source>Please go to window {window}</source>
        <translation>请到 {window} 号窗口</translation>
    </message>
    <message>
        <source>No number called yet</source>
        <translation>暂无呼叫</translation>
    </message>
    <message>
        <source>Please wait for your number</source>
        <translation>请留意叫号</translation>
    </message>
    <message>
        <source>Window {window}</source>
        <translation>{window}号窗口</translation>
    </message>
    <message>
        <source>{count} waiting</source>
        <translation>{count} 人</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>暂停取号</translation>
    </message>
    <message>
        <source>Reconnecting to the queue server…</source>
        <translation>正在重新连接叫号服务器…</translation>
    </message>
</context>
<context>
    <name>HolidayEditor</name>
    <message>
        <source>Load</source>
        <translation>读取</translation>
    </message>
    <message>
        <source>Publish this year&apos;s calendar</source>
        <translation>发布本年日历</translation>
    </message>
    <message>
        <source>One day per line: date, 休 (holiday) or 班 (working day), name. The list replaces the year&apos;s calendar at every branch; late fees count working days by it.</source>
        <translation>每行一天：日期、休（节假日）或 班（调休上班）、名称。本列表将替换各营业厅该年的日历；违约金按此计算工作日。</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>{n} days published for {year}.</source>
        <translation>{year} 年已发布 {n} 天。</translation>
    </message>
    <message>
        <source>Published: {n} days of {year} (change {change}).</source>
        <translation>已发布：{year} 年 {n} 天（变更号 {change}）。</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Hello, {name} ({staff_no})</source>
        <translation>您好，{name}（工号 {staff_no}）</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>payments taken</source>
        <translation>今日收款</translation>
    </message>
    <message>
        <source>cash the drawer should hold</source>
        <translation>钱箱应有现金</translation>
    </message>
    <message>
        <source>voids / refunds</source>
        <translation>冲正 / 退费（笔）</translation>
    </message>
    <message>
        <source>today&apos;s receipts never printed (Ctrl+U on the fee page)</source>
        <translation>今日未打印收据（收费页 Ctrl+U 补打）</translation>
    </message>
    <message>
        <source>daily settlement (日结)</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>applications accepted</source>
        <translation>今日受理报装（件）</translation>
    </message>
    <message>
        <source>Applications of this window that need someone</source>
        <translation>本窗口需跟进的报装</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>本环节到期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>情况</translation>
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
    <message>
        <source>Today&apos;s figures could not be read: {error}</source>
        <translation>今日数据读取失败：{error}</translation>
    </message>
    <message>
        <source>Today, {date}</source>
        <translation>今日（{date}）</translation>
    </message>
    <message>
        <source>{n} · {amount}</source>
        <translation>{n} 笔 · {amount}</translation>
    </message>
    <message>
        <source>done; now counted for {date}</source>
        <translation>已日结；此后收款计入 {date}</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>未日结</translation>
    </message>
    <message>
        <source>late</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>documents owed</source>
        <translation>待补件</translation>
    </message>
    <message>
        <source>clock stopped</source>
        <translation>暂停计时</translation>
    </message>
    <message>
        <source>None: nothing of this window is late, nearly due or waiting for documents.</source>
        <translation>暂无：本窗口没有超期、即将到期或待补件的报装。</translation>
    </message>
    <message>
        <source>{n} more: see Application status or the back office.</source>
        <translation>另有 {n} 件，请在“报装查询”或后台查看。</translation>
    </message>
</context>
<context>
    <name>InquiryLog</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation>反映内容</translation>
    </message>
    <message>
        <source>Hand-over note</source>
        <translation>转交说明</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Only mine</source>
        <translation>只看我负责的</translation>
    </message>
    <message>
        <source>Open inquiries and complaints</source>
        <translation>未办结的咨询和投诉</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>First received by</source>
        <translation>首问人</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>已用时</translation>
    </message>
    <message>
        <source>Answer due</source>
        <translation>答复期限</translation>
    </message>
    <message>
        <source>Log an inquiry or complaint</source>
        <translation>登记咨询或投诉（首问负责）</translation>
    </message>
    <message>
        <source>Log it</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Selected item</source>
        <translation>选中的事项</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>转交</translation>
    </message>
    <message>
        <source>The answer given to the customer</source>
        <translation>给客户的答复</translation>
    </message>
    <message>
        <source>Answer and close</source>
        <translation>答复并办结</translation>
    </message>
    <message>
        <source>Link to follow-up</source>
        <translation>关联差评跟进</translation>
    </message>
    <message>
        <source> (overdue)</source>
        <translation>（逾期）</translation>
    </message>
    <message>
        <source>{count} open</source>
        <translation>未办结 {count} 条</translation>
    </message>
    <message>
        <source>Choose an item in the list.</source>
        <translation>请在列表中选择一条。</translation>
    </message>
    <message>
        <source>{field}: {rule}</source>
        <translation>{field}：{rule}</translation>
    </message>
</context>
<context>
    <name>IntakePage</name>
    <message>
        <source>Application</source>
        <translation>申请信息</translation>
    </message>
    <message>
        <source>Application &amp;type:</source>
        <translation>业务类型(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Person</source>
        <translation>个人(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Company</source>
        <translation>单位(&amp;C)</translation>
    </message>
    <message>
        <source>Applicant is a:</source>
        <translation>申请人类型：</translation>
    </message>
    <message>
        <source>18 characters, last may be X</source>
        <translation>18位，末位可为X</translation>
    </message>
    <message>
        <source>18 characters</source>
        <translation>18位</translation>
    </message>
    <message>
        <source>11-digit mobile</source>
        <translation>11位手机号</translation>
    </message>
    <message>
        <source>district, road, number, building, room</source>
        <translation>区、路、门牌号、楼栋、房号</translation>
    </message>
    <message>
        <source>10-digit account number from a bill</source>
        <translation>账单上的10位户号</translation>
    </message>
    <message>
        <source>Applicant &amp;name:</source>
        <translation>申请人姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>Resident &amp;ID number:</source>
        <translation>身份证号(&amp;I)：</translation>
    </message>
    <message>
        <source>Credit c&amp;ode:</source>
        <translation>信用代码(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Mobile number:</source>
        <translation>手机号(&amp;M)：</translation>
    </message>
    <message>
        <source>Site &amp;address:</source>
        <translation>用水地址(&amp;A)：</translation>
    </message>
    <message>
        <source>Acco&amp;unt number:</source>
        <translation>户号(&amp;U)：</translation>
    </message>
    <message>
        <source>Meter si&amp;ze:</source>
        <translation>表径(&amp;Z)：</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Documents (told once, all of them)</source>
        <translation>资料清单（一次性告知）</translation>
    </message>
    <message>
        <source>Attachments (scans, photos)</source>
        <translation>附件（扫描件、照片）</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>New form</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Drafts…</source>
        <translation>草稿…</translation>
    </message>
    <message>
        <source>Save draft (Ctrl+S)</source>
        <translation>保存草稿 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Accept and print slip (Ctrl+Enter)</source>
        <translation>受理并打印回执 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Company &amp;name:</source>
        <translation>单位名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Agent (if any):</source>
        <translation>代办人（如有）：</translation>
    </message>
    <message>
        <source>Contact person:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <source>Choose scans or photos</source>
        <translation>选择扫描件或照片</translation>
    </message>
    <message>
        <source>Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)</source>
        <translation>扫描件和照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Draft saved. Resume it later from Drafts…</source>
        <translation>草稿已保存，可从“草稿…”继续办理。</translation>
    </message>
    <message>
        <source>No saved drafts</source>
        <translation>没有保存的草稿</translation>
    </message>
    <message>
        <source>(no name yet)</source>
        <translation>（未填姓名）</translation>
    </message>
    <message>
        <source>Draft resumed.</source>
        <translation>已打开草稿。</translation>
    </message>
    <message>
        <source>Accepted: {number}. {n} documents still missing; the slip lists them all and the clock is stopped until they are in.</source>
        <translation>已受理：{number}。尚缺 {n} 份资料，已在回执上一次性告知；资料补齐前暂停计时。</translation>
    </message>
    <message>
        <source>Accepted: {number}. All documents received.</source>
        <translation>已受理：{number}。资料齐全。</translation>
    </message>
</context>
<context>
    <name>Kiosk</name>
    <message>
        <source>Take a ticket</source>
        <extracomment>events after which the kiosk reads the hall again, for fresh wait estimates (debounced)</extracomment>
        <translation>取号</translation>
    </message>
    <message>
        <source>Please choose a service</source>
        <translation>请选择办理业务</translation>
    </message>
    <message>
        <source>Green channel: seniors, disabled, pregnant, military</source>
        <translation>绿色通道（老年人、残疾人、孕妇、军人）</translation>
    </message>
    <message>
        <source>Cancel green channel</source>
        <translation>取消绿色通道</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Tickets cannot be issued right now</source>
        <translation>暂时无法取号</translation>
    </message>
    <message>
        <source>The queue system is not reachable. Please wait a moment or ask the staff.</source>
        <translation>暂时无法连接叫号系统，请稍候或咨询工作人员。</translation>
    </message>
    <message>
        <source>Staff: check that the queue server ({url}) is running and this kiosk&apos;s network cable is plugged in.</source>
        <translation>工作人员：请检查叫号服务器（{url}）是否开机运行，本机网线是否插好。</translation>
    </message>
    <message>
        <source>Green channel: now choose your service.</source>
        <translation>绿色通道：请选择办理业务</translation>
    </message>
    <message>
        <source>Taking your ticket…</source>
        <translation>正在取号，请稍候…</translation>
    </message>
    <message>
        <source>All of today&apos;s tickets for {service} have been taken. Please ask at the information desk.</source>
        <translation>“{service}”今日号已取完，请到咨询台咨询。</translation>
    </message>
    <message>
        <source>{service} is not taking tickets at the moment. Please ask at the information desk.</source>
        <translation>“{service}”暂停取号，请到咨询台咨询。</translation>
    </message>
    <message>
        <source>The queue system cannot issue tickets right now. Please try again in a moment or ask the staff.</source>
        <translation>叫号系统暂时无法取号，请稍后再试或咨询工作人员。</translation>
    </message>
    <message>
        <source>The ticket could not be issued. Please ask the staff.</source>
        <translation>未能取号，请咨询工作人员。</translation>
    </message>
    <message>
        <source>No ticket issued</source>
        <translation>未能取号</translation>
    </message>
    <message>
        <source>Please take your ticket</source>
        <translation>请取走您的号票</translation>
    </message>
    <message>
        <source>Wait in the seating area and watch the screen.</source>
        <translation>请在休息区等候，留意大屏和语音叫号。</translation>
    </message>
    <message>
        <source>Please remember your number</source>
        <translation>请记住您的号码</translation>
    </message>
    <message>
        <source>This kiosk does not print tickets. Your ticket is shown below.</source>
        <translation>本机暂不出票，您的号票如下。</translation>
    </message>
    <message>
        <source>The printer cannot print right now. Your ticket is shown below; your number is valid without the paper.</source>
        <translation>打印机暂时无法出票。您的号票如下，没有纸质号票号码同样有效。</translation>
    </message>
    <message>
        <source>Back to the start in {seconds} s</source>
        <translation>{seconds} 秒后返回首页</translation>
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
        <source>A new password must be set before you can start.</source>
        <translation>须先设置新密码才能开始工作。</translation>
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
        <source>Too many wrong passwords: this account is locked until {time}. A branch manager can unlock it sooner.</source>
        <translation>密码错误次数过多，账户已锁定至 {time}。营业所主任可提前解锁。</translation>
    </message>
    <message>
        <source>This account is disabled. Please ask your manager.</source>
        <translation>该账户已停用，请联系营业所主任。</translation>
    </message>
    <message>
        <source>Wrong staff number or password. {n} tries left before the account is locked (a branch manager can unlock it).</source>
        <translation>工号或密码错误。再错 {n} 次账户将被锁定（营业所主任可解锁）。</translation>
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
<context>
    <name>Manager</name>
    <message>
        <source>Hall board</source>
        <translation>大厅实况</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
</context>
<context>
    <name>NewStaffForm</name>
    <message>
        <source>New staff member</source>
        <translation>新增员工</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Offline login only until</source>
        <translation>离线登录截止到</translation>
    </message>
    <message>
        <source>Create staff member</source>
        <translation>创建员工</translation>
    </message>
    <message>
        <source>Hand the first password over in person; head office keeps only its hash.</source>
        <translation>请当面交付初始密码；总部只保存其哈希值。</translation>
    </message>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>营业厅</translation>
    </message>
    <message>
        <source>First password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>Staff {no} created (change {change}); the branches let him log in after their next sync.</source>
        <translation>员工 {no} 已创建（变更 {change}）；各营业厅下次同步后即可登录。</translation>
    </message>
</context>
<context>
    <name>NodesPage</name>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Revoke node…</source>
        <translation>吊销节点…</translation>
    </message>
    <message>
        <source>Refuse every later request of the chosen node (a stolen or replaced PC); its events stay at head office.</source>
        <translation>拒绝所选节点此后的一切请求（电脑被盗或已更换）；其事件仍保留在总部。</translation>
    </message>
    <message>
        <source>Branch / node</source>
        <translation>营业厅 / 节点</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机名</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近联系</translation>
    </message>
    <message>
        <source>Lag</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Unsent</source>
        <translation>未上传</translation>
    </message>
    <message>
        <source>Oldest unsent payment</source>
        <translation>最早未上传收费</translation>
    </message>
    <message>
        <source>Quarantined</source>
        <translation>隔离</translation>
    </message>
    <message>
        <source>Needs</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>never in contact</source>
        <translation>从未联系</translation>
    </message>
    <message>
        <source>no recent contact</source>
        <translation>近期未联系</translation>
    </message>
    <message>
        <source>lagging</source>
        <translation>同步延迟</translation>
    </message>
    <message>
        <source>events missing</source>
        <translation>事件缺失</translation>
    </message>
    <message>
        <source>payments unsent &gt; 4 h</source>
        <translation>收费超过 4 小时未上传</translation>
    </message>
    <message>
        <source>quarantine to resolve</source>
        <translation>有隔离事件待处理</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>active</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>已被替换</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <source>hub</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>counter</source>
        <translation>窗口终端</translation>
    </message>
    <message>
        <source>kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>display</source>
        <translation>大屏</translation>
    </message>
    <message>
        <source>evaluator</source>
        <translation>评价器</translation>
    </message>
    <message>
        <source>{n} nodes</source>
        <translation>{n} 个节点</translation>
    </message>
    <message>
        <source>reported {age}</source>
        <translation>上报于 {age}</translation>
    </message>
    <message>
        <source>{b} branches, {n} active nodes, {q} events in quarantine</source>
        <translation>{b} 个营业厅，{n} 个在用节点，{q} 个隔离事件</translation>
    </message>
    <message>
        <source>Revoke node</source>
        <translation>吊销节点</translation>
    </message>
    <message>
        <source>Revoke {branch} {terminal} ({host})? It can no longer send anything; enrol the PC again with a new code.
Reason (kept with the node):</source>
        <translation>吊销 {branch} {terminal}（{host}）？吊销后该节点不能再上传任何数据；如需继续使用，请用新的注册码重新注册。
原因（与节点一同保存）：</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>{key}: expected {rule}</source>
        <translation>{key}：要求 {rule}</translation>
    </message>
</context>
<context>
    <name>PaperOutput</name>
    <message>
        <source>Saved as PDF (no printer set up): {path}</source>
        <translation>未配置打印机，已保存为PDF：{path}</translation>
    </message>
    <message>
        <source>Sent to printer {name}.</source>
        <translation>已发送到打印机 {name}。</translation>
    </message>
    <message>
        <source>Printer {name} failed ({error}); the PDF is kept: {path}</source>
        <translation>打印机 {name} 打印失败（{error}），PDF已保存：{path}</translation>
    </message>
</context>
<context>
    <name>PaymentForm</name>
    <message>
        <source>Pay from the &amp;balance (预存)</source>
        <translation>从预存余额抵扣(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Cash</source>
        <translation>现金(&amp;C)</translation>
    </message>
    <message>
        <source>Ban&amp;k card</source>
        <translation>银行卡(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;QR code</source>
        <translation>扫码(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Split</source>
        <translation>组合支付(&amp;S)</translation>
    </message>
    <message>
        <source>from the card slip or the payment screen</source>
        <translation>见签购单或支付页面</translation>
    </message>
    <message>
        <source>empty: exactly the amount</source>
        <translation>不填即正好付清</translation>
    </message>
    <message>
        <source>&amp;Extra prepayment ¥:</source>
        <translation>另存预存(&amp;E) ¥：</translation>
    </message>
    <message>
        <source>Collect and print   {key}</source>
        <translation>收款并打印   {key}</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>付款方式：</translation>
    </message>
    <message>
        <source>Card &amp;or QR:</source>
        <translation>刷卡或扫码(&amp;O)：</translation>
    </message>
    <message>
        <source>Card / QR amou&amp;nt ¥:</source>
        <translation>刷卡/扫码金额(&amp;N) ¥：</translation>
    </message>
    <message>
        <source>&amp;Reference no.:</source>
        <translation>参考号(&amp;R)：</translation>
    </message>
    <message>
        <source>Cash &amp;tendered ¥:</source>
        <translation>实收现金(&amp;T) ¥：</translation>
    </message>
    <message>
        <source>Change:</source>
        <translation>找零：</translation>
    </message>
    <message>
        <source>To collect</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Working out the amount…</source>
        <translation>正在计算金额…</translation>
    </message>
    <message>
        <source>In words: {words}</source>
        <translation>大写：{words}</translation>
    </message>
    <message>
        <source>bills {due} (late fee {fee})</source>
        <translation>账单 {due}（含违约金 {fee}）</translation>
    </message>
    <message>
        <source>from balance −{amount}</source>
        <translation>预存抵扣 −{amount}</translation>
    </message>
    <message>
        <source>prepayment +{amount}</source>
        <translation>另存预存 +{amount}</translation>
    </message>
    <message>
        <source>Nothing to collect: no bill is ticked. Enter an extra prepayment to pay in advance.</source>
        <translation>无需收款：没有勾选账单。如需预存，请输入另存预存金额。</translation>
    </message>
    <message>
        <source>not enough: at least {due}</source>
        <translation>不足：至少 {due}</translation>
    </message>
</context>
<context>
    <name>PolicyEditor</name>
    <message>
        <source>Queue</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>Voice calls</source>
        <translation>语音叫号</translation>
    </message>
    <message>
        <source>Ticket kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>Hall display</source>
        <translation>大厅显示屏</translation>
    </message>
    <message>
        <source>Ratings and follow-ups</source>
        <translation>评价与回访</translation>
    </message>
    <message>
        <source>Payments and late fees</source>
        <translation>收费与违约金</translation>
    </message>
    <message>
        <source>Sync with head office</source>
        <translation>与总部同步</translation>
    </message>
    <message>
        <source>Statistics targets</source>
        <translation>统计目标</translation>
    </message>
    <message>
        <source>Offline login</source>
        <translation>离线登录</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>参数表</translation>
    </message>
    <message>
        <source>Values now</source>
        <translation>当前取值</translation>
    </message>
    <message>
        <source>Change no.</source>
        <translation>变更号</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>发布人</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>Publish as a new version</source>
        <translation>发布为新版本</translation>
    </message>
    <message>
        <source>One key = value per line, as in the branch&apos;s own file (without the [table] line). The keys given here replace the branch&apos;s own; the others stay as they are.</source>
        <translation>每行一项“键 = 值”，写法与营业厅配置文件相同（不写 [表名] 行）。这里给出的键覆盖营业厅自己的设置，其余保持不变。</translation>
    </message>
    <message>
        <source>In force from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Tables head office sets for this branch</source>
        <translation>总部为该营业厅设定的参数表</translation>
    </message>
    <message>
        <source>Versions of the chosen table (newest first)</source>
        <translation>所选参数表的各版本（最新在前）</translation>
    </message>
    <message>
        <source>New version</source>
        <translation>新版本</translation>
    </message>
    <message>
        <source>All branches: what is published here becomes the table&apos;s new version at every branch head office knows. Choose a branch to see its versions.</source>
        <translation>全部营业厅：在此发布的内容将成为总部所知每个营业厅该参数表的新版本。选择某个营业厅可查看其各版本。</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <source>Published: [{name}] for {branches} (change {change}). Each branch holds it from its next sync and applies it from {day}.</source>
        <translation>已发布：[{name}]，营业厅 {branches}（变更 {change}）。各营业厅下次同步时收到，自 {day} 起执行。</translation>
    </message>
    <message>
        <source>Published: [{name}] for {branches} (change {change}). Each branch applies it when it next syncs.</source>
        <translation>已发布：[{name}]，适用于 {branches}（变更 {change}）。各营业厅下次同步时生效。</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Printed on {printer}.</source>
        <translation>已在 {printer} 打印。</translation>
    </message>
    <message>
        <source>No printer is set up: the document is saved as {path}.</source>
        <translation>未设置打印机：文件已保存为 {path}。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Printer &quot;{name}&quot; is not installed on this PC (installed: {known}). See printer.name in the settings.</source>
        <translation>本机没有安装打印机“{name}”（已安装：{known}）。请检查配置中的 printer.name。</translation>
    </message>
    <message>
        <source>Printer &quot;{name}&quot; reports an error. Check paper, cover and cable.</source>
        <translation>打印机“{name}”报告故障，请检查纸张、机盖和连线。</translation>
    </message>
    <message>
        <source>The document {path} cannot be read for printing ({error}).</source>
        <translation>无法读取要打印的文件 {path}（{error}）。</translation>
    </message>
    <message>
        <source>Page {page} could not be prepared for printing.</source>
        <translation>第 {page} 页无法准备打印。</translation>
    </message>
    <message>
        <source>The printer did not accept the job. Is it switched on and online?</source>
        <translation>打印机没有接受打印任务，请检查打印机是否开机并联机。</translation>
    </message>
    <message>
        <source>The printer stopped after page {page}.</source>
        <translation>打印机在第 {page} 页后停止。</translation>
    </message>
    <message>
        <source>The printer failed while printing. Check it and print again.</source>
        <translation>打印过程中打印机出错，请检查后重新打印。</translation>
    </message>
</context>
<context>
    <name>QualityWords</name>
    <message>
        <source>Very satisfied</source>
        <extracomment>The colour of a follow-up or inquiry past its deadline, in every quality list.</extracomment>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Acceptable</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>Not rated</source>
        <translation>未评价</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>核实</translation>
    </message>
    <message>
        <source>Corrective action</source>
        <translation>整改</translation>
    </message>
    <message>
        <source>Call-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>已整改</translation>
    </message>
    <message>
        <source>Explained to the customer</source>
        <translation>解释说明</translation>
    </message>
    <message>
        <source>Mistaken rating (appeal upheld)</source>
        <translation>误评（申诉复核）</translation>
    </message>
    <message>
        <source>Inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Logged</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>转交</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Linked to a follow-up</source>
        <translation>关联差评跟进</translation>
    </message>
    <message>
        <source>{days} d {hours} h</source>
        <translation>{days}天{hours}小时</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours}小时{minutes}分</translation>
    </message>
</context>
<context>
    <name>QuarantinePage</name>
    <message>
        <source>Quarantined events</source>
        <translation>隔离事件</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Branch node</source>
        <translation>营业厅节点</translation>
    </message>
    <message>
        <source>Channel / no.</source>
        <translation>通道 / 序号</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>Why (kept with the event), e.g. the payment arrived / edited at the branch</source>
        <translation>原因（与事件一同保存），例如：原收费已到达 / 营业厅改动过数据</translation>
    </message>
    <message>
        <source>Re-apply</source>
        <translation>重新入账</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Select an event, give the reason, then re-apply it or reject it. Nothing is deleted.</source>
        <translation>选择一个事件并填写原因，然后重新入账或拒绝。任何事件都不会被删除。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Incidents to look at (both facts are kept)</source>
        <translation>待查看的异常（两条记录均保留）</translation>
    </message>
    <message>
        <source>the payment it reverses has not arrived</source>
        <translation>所冲正的收费尚未到达</translation>
    </message>
    <message>
        <source>content changed after it was written</source>
        <translation>写入后内容被改动</translation>
    </message>
    <message>
        <source>the node&apos;s chain of events is broken</source>
        <translation>节点的事件链断裂</translation>
    </message>
    <message>
        <source>two events with one sequence number</source>
        <translation>两个事件序号相同</translation>
    </message>
    <message>
        <source>one event id with two contents</source>
        <translation>同一事件编号内容不同</translation>
    </message>
    <message>
        <source>written by another node</source>
        <translation>由其他节点写入</translation>
    </message>
    <message>
        <source>written for another branch</source>
        <translation>属于其他营业厅</translation>
    </message>
    <message>
        <source>payment already booked by another event</source>
        <translation>该收费已由其他事件入账</translation>
    </message>
    <message>
        <source>content not valid</source>
        <translation>内容无效</translation>
    </message>
    <message>
        <source>one receipt number on two payments</source>
        <translation>两笔收费使用同一收据号</translation>
    </message>
    <message>
        <source>Quarantined events: {n}</source>
        <translation>隔离事件：{n} 个</translation>
    </message>
    <message>
        <source>re-applied</source>
        <translation>已重新入账</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Event {event} {what}; the reason is kept with it.</source>
        <translation>事件 {event} {what}，原因已一同保存。</translation>
    </message>
</context>
<context>
    <name>RefWords</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Ticket letter</source>
        <translation>票号字母</translation>
    </message>
    <message>
        <source>Name (Chinese)</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>Name (English)</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>Daily cap</source>
        <translation>每日限号</translation>
    </message>
    <message>
        <source>Standard minutes</source>
        <translation>标准办理分钟</translation>
    </message>
    <message>
        <source>Order at the kiosk</source>
        <translation>取号机排序</translation>
    </message>
    <message>
        <source>Window no.</source>
        <translation>窗口号</translation>
    </message>
    <message>
        <source>Window name</source>
        <translation>窗口名称</translation>
    </message>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>营业厅</translation>
    </message>
    <message>
        <source>Offline login until</source>
        <translation>离线登录截止</translation>
    </message>
    <message>
        <source>Policy table</source>
        <translation>参数表</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>text of 1 to {n} characters</source>
        <translation>须为 1 至 {n} 个字符</translation>
    </message>
    <message>
        <source>text of at most {n} characters</source>
        <translation>至多 {n} 个字符</translation>
    </message>
    <message>
        <source>a whole number from {low} to {high}</source>
        <translation>须为 {low} 至 {high} 的整数</translation>
    </message>
    <message>
        <source>one capital letter A-Z</source>
        <translation>须为一个大写字母 A-Z</translation>
    </message>
    <message>
        <source>letters, digits, _ . - only</source>
        <translation>只能包含字母、数字和 _ . -</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>at least one branch</source>
        <translation>至少选择一个营业厅</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>只能是以下之一：{choices}</translation>
    </message>
</context>
<context>
    <name>ReferencePage</name>
    <message>
        <source>Tariffs</source>
        <translation>水价</translation>
    </message>
    <message>
        <source>Holidays</source>
        <translation>节假日</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Local policy</source>
        <translation>本地参数</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Inquiries (首问)</source>
        <translation>咨询投诉（首问）</translation>
    </message>
    <message>
        <source>Rating follow-ups</source>
        <translation>差评跟进</translation>
    </message>
</context>
<context>
    <name>RuleWords</name>
    <message>
        <source>error words: en</source>
        <translation>error words: zh_CN</translation>
    </message>
    <message>
        <source>{field}: {rule}</source>
        <translation>{field}：{rule}</translation>
    </message>
    <message>
        <source>Not possible: {rule}</source>
        <translation>无法办理：{rule}</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>出错了：{error}</translation>
    </message>
</context>
<context>
    <name>ServiceButton</name>
    <message>
        <source>Not taking tickets at the moment</source>
        <translation>暂停取号</translation>
    </message>
    <message>
        <source>All of today&apos;s tickets are taken</source>
        <translation>今日号已取完</translation>
    </message>
    <message>
        <source>No one waiting</source>
        <translation>无人等候</translation>
    </message>
    <message>
        <source>{count} waiting · about {minutes} min</source>
        <translation>等候 {count} 人 · 约 {minutes} 分钟</translation>
    </message>
    <message>
        <source>{count} waiting</source>
        <translation>等候 {count} 人</translation>
    </message>
</context>
<context>
    <name>ServicesEditor</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>字母</translation>
    </message>
    <message>
        <source>Name (Chinese)</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>Name (English)</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>Daily cap</source>
        <translation>每日限号</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>标准分钟</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add as a new service</source>
        <translation>新增业务</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>A retired service is kept (its tickets and figures stay); it is no longer offered at the kiosk.</source>
        <translation>停用的业务仍然保留（其票号和统计不变），取号机不再提供。</translation>
    </message>
    <message>
        <source>Ticket letter</source>
        <translation>票号字母</translation>
    </message>
    <message>
        <source>Standard minutes</source>
        <translation>标准办理分钟</translation>
    </message>
    <message>
        <source>Order at the kiosk</source>
        <translation>取号机排序</translation>
    </message>
    <message>
        <source>In force from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>in use</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Service {code} is restored from {day} (change {change}).</source>
        <translation>业务 {code} 自 {day} 起恢复（变更 {change}）。</translation>
    </message>
    <message>
        <source>Service {code} is retired from {day}; until then it is in use (change {change}).</source>
        <translation>业务 {code} 自 {day} 起停用，此前照常办理（变更 {change}）。</translation>
    </message>
    <message>
        <source>Service {code} restored (change {change}).</source>
        <translation>业务 {code} 已恢复（变更 {change}）。</translation>
    </message>
    <message>
        <source>Service {code} retired; it is kept (change {change}).</source>
        <translation>业务 {code} 已停用，记录仍保留（变更 {change}）。</translation>
    </message>
    <message>
        <source>Service {code} added; the branches offer it from {day} (change {change}).</source>
        <translation>业务 {code} 已新增，营业厅自 {day} 起提供（变更 {change}）。</translation>
    </message>
    <message>
        <source>Service {code} added (change {change}).</source>
        <translation>业务 {code} 已新增（变更 {change}）。</translation>
    </message>
    <message>
        <source>Service {code} saved; the changes hold from {day} (change {change}).</source>
        <translation>业务 {code} 已保存，修改自 {day} 起生效（变更 {change}）。</translation>
    </message>
    <message>
        <source>Service {code} saved (change {change}).</source>
        <translation>业务 {code} 已保存（变更 {change}）。</translation>
    </message>
</context>
<context>
    <name>SettlementDialog</name>
    <message>
        <source>Daily settlement (日结)</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>缴费</translation>
    </message>
    <message>
        <source>Voids</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退费</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>净额</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>笔数</translation>
    </message>
    <message>
        <source>The day by method</source>
        <translation>按付款方式汇总</translation>
    </message>
    <message>
        <source>Cash the drawer should hold:</source>
        <translation>钱箱应有现金：</translation>
    </message>
    <message>
        <source>Cash &amp;counted ¥:</source>
        <translation>实点现金(&amp;C) ¥：</translation>
    </message>
    <message>
        <source>Difference:</source>
        <translation>差额：</translation>
    </message>
    <message>
        <source>&amp;Settle and lock the day   Ctrl+Enter</source>
        <translation>日结并锁定(&amp;S)   Ctrl+Enter</translation>
    </message>
    <message>
        <source>&amp;Print report</source>
        <translation>打印日结报表(&amp;P)</translation>
    </message>
    <message>
        <source>Close   Esc</source>
        <translation>关闭   Esc</translation>
    </message>
    <message>
        <source>{day} — {name} {no}</source>
        <translation>{day} — {name} {no}</translation>
    </message>
    <message>
        <source>Late fees {fee}; prepaid into balances {to}; paid from balances {from_}; receipts {first} to {last}.</source>
        <translation>违约金 {fee}；存入预存 {to}；预存抵扣 {from_}；收据号 {first} 至 {last}。</translation>
    </message>
    <message>
        <source>Not settled yet. Count the cash in the drawer and enter it below.</source>
        <translation>尚未日结。请清点钱箱现金并在下方输入。</translation>
    </message>
    <message>
        <source>Settled and locked at {time}. New payments count towards the next business day.</source>
        <translation>已于 {time} 日结并锁定。新的收款计入下一营业日。</translation>
    </message>
    <message>
        <source>none, the cash is right</source>
        <translation>无，现金相符</translation>
    </message>
    <message>
        <source>surplus (长款) {amount}</source>
        <translation>长款 {amount}</translation>
    </message>
    <message>
        <source>shortage (短款) {amount}</source>
        <translation>短款 {amount}</translation>
    </message>
    <message>
        <source>Press again to lock {day}</source>
        <translation>再按一次锁定 {day}</translation>
    </message>
    <message>
        <source>After locking, today&apos;s payments can no longer be voided and new payments count towards the next business day. Press Ctrl+Enter again to lock.</source>
        <translation>锁定后，今日的缴费不能再冲正，新的收款计入下一营业日。再按一次 Ctrl+Enter 锁定。</translation>
    </message>
    <message>
        <source>The day is settled and locked. Printing the report…</source>
        <translation>已日结并锁定。正在打印报表…</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>counter-app set-up</source>
        <translation>营业厅系统首次设置</translation>
    </message>
    <message>
        <source>This PC&apos;s role and branch</source>
        <translation>本机角色与营业厅</translation>
    </message>
    <message>
        <source>What this PC does in the hall, and where.</source>
        <translation>本机在营业厅中的用途及所属营业厅。</translation>
    </message>
    <message>
        <source>Counter (窗口)</source>
        <translation>营业窗口</translation>
    </message>
    <message>
        <source>Ticket kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>Hall display</source>
        <translation>叫号大屏</translation>
    </message>
    <message>
        <source>Evaluator screen</source>
        <translation>评价器</translation>
    </message>
    <message>
        <source>Manager console</source>
        <translation>主任工作台</translation>
    </message>
    <message>
        <source>Branch hub (server)</source>
        <translation>营业厅服务器（hub）</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Branch code</source>
        <translation>营业厅代码</translation>
    </message>
    <message>
        <source>Branch name</source>
        <translation>营业厅名称</translation>
    </message>
    <message>
        <source>Utility</source>
        <translation>供水/供电公司</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>Window number</source>
        <translation>窗口号</translation>
    </message>
    <message>
        <source>Hub and head office</source>
        <translation>营业厅服务器与总部</translation>
    </message>
    <message>
        <source>The hub&apos;s address and this branch&apos;s device token; head office&apos;s address and the enrolment code it gave you.</source>
        <translation>营业厅服务器地址和本营业厅的设备令牌；总部地址及总部发给本机的注册码。</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Device token</source>
        <translation>设备令牌</translation>
    </message>
    <message>
        <source>New random token (hub)</source>
        <translation>生成新令牌（服务器用）</translation>
    </message>
    <message>
        <source>Head office address</source>
        <translation>总部地址</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <source>Printer, evaluator and voice</source>
        <translation>打印机、评价器与语音</translation>
    </message>
    <message>
        <source>Try each device here: a test page, a key on the pad, a spoken call.</source>
        <translation>在此逐一测试设备：打印测试页、按评价器按键、试听叫号。</translation>
    </message>
    <message>
        <source>(none: save PDF files)</source>
        <translation>（无：保存为 PDF 文件）</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Receipt paper</source>
        <translation>票据纸张</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>Second screen ({count} screens found)</source>
        <translation>第二屏幕（检测到 {count} 个屏幕）</translation>
    </message>
    <message>
        <source>Serial rating pad</source>
        <translation>串口评价器</translation>
    </message>
    <message>
        <source>No evaluator</source>
        <translation>不使用评价器</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>评价器</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>Test a key on the pad</source>
        <translation>测试评价器按键</translation>
    </message>
    <message>
        <source>Voice test</source>
        <translation>语音测试</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>The printer {name} cannot print.</source>
        <translation>打印机 {name} 无法打印。</translation>
    </message>
    <message>
        <source>counter-app test page — 测试页 {branch}</source>
        <translation>营业厅系统测试页 {branch}</translation>
    </message>
    <message>
        <source>Test page sent to {name}.</source>
        <translation>测试页已发送到 {name}。</translation>
    </message>
    <message>
        <source>Cannot open {port}: {error}</source>
        <translation>无法打开 {port}：{error}</translation>
    </message>
    <message>
        <source>Press a key on the pad…</source>
        <translation>请按评价器上的任意键…</translation>
    </message>
    <message>
        <source>Key received: {data}</source>
        <translation>收到按键：{data}</translation>
    </message>
    <message>
        <source>Speaking through {engine}.</source>
        <translation>正在通过 {engine} 播报。</translation>
    </message>
    <message>
        <source>{key}: expected {rule}</source>
        <translation>{key}：要求 {rule}</translation>
    </message>
</context>
<context>
    <name>StaffList</name>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>营业厅</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Offline login until</source>
        <translation>离线登录有效期至</translation>
    </message>
    <message>
        <source>Disable at every branch</source>
        <translation>在所有营业厅停用</translation>
    </message>
    <message>
        <source>Enable again</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>A disabled staff member cannot log in at a branch once it has synced (within minutes when it is online).</source>
        <translation>停用的员工在营业厅同步后即无法登录（在线时几分钟内生效）。</translation>
    </message>
    <message>
        <source>clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <source>back office</source>
        <translation>后台</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>主任</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>active</source>
        <translation>在用</translation>
    </message>
    <message>
        <source> · sets a new password at his next login</source>
        <translation> · 下次登录时设置新密码</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Staff {no}: his password is now {password} — hand it over; he sets his own at his next login (change {change}).</source>
        <translation>员工 {no}：密码已改为 {password} ——请转交本人；他下次登录时须设置自己的密码（变更 {change}）。</translation>
    </message>
    <message>
        <source>Staff {no} disabled at every branch (change {change}).</source>
        <translation>员工 {no} 已在所有营业厅停用（变更号 {change}）。</translation>
    </message>
    <message>
        <source>Staff {no} enabled again (change {change}).</source>
        <translation>员工 {no} 已重新启用（变更号 {change}）。</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Hour of day</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Branch total</source>
        <translation>全厅合计</translation>
    </message>
    <message>
        <source>number</source>
        <translation>窗口号</translation>
    </message>
    <message>
        <source>staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>letter</source>
        <translation>业务字母</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <source>Monthly review…</source>
        <translation>每月评点…</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>Fees</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Applications and first contact</source>
        <translation>报装与首问</translation>
    </message>
    <message>
        <source>Walk-in services</source>
        <translation>无号服务</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>按</translation>
    </message>
    <message>
        <source>Counting {start} to {end}…</source>
        <translation>正在统计 {start} 至 {end}…</translation>
    </message>
    <message>
        <source>{start} to {end}: {n} rows</source>
        <translation>{start} 至 {end}：{n} 行</translation>
    </message>
    <message>
        <source>Not counted: {error}</source>
        <translation>未统计：{error}</translation>
    </message>
    <message>
        <source>window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <source>service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>branch</source>
        <translation>营业厅</translation>
    </message>
    <message>
        <source>period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>start</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>end</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Show the statistics first.</source>
        <translation>请先查询统计。</translation>
    </message>
    <message>
        <source>Export statistics</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Monthly review {month}</source>
        <translation>每月评点 {month}</translation>
    </message>
    <message>
        <source>Writing the monthly review {month}…</source>
        <translation>正在生成每月评点 {month}…</translation>
    </message>
</context>
<context>
    <name>StatusLookupPage</name>
    <message>
        <source>Application number, resident ID / credit code, or mobile number</source>
        <translation>申请编号、身份证号/统一社会信用代码或手机号</translation>
    </message>
    <message>
        <source>Search (Enter)</source>
        <translation>查询 (Enter)</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>Application no.</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Taken at</source>
        <translation>受理窗口</translation>
    </message>
    <message>
        <source>Documents handed in now</source>
        <translation>现场补交资料</translation>
    </message>
    <message>
        <source>Record documents handed in</source>
        <translation>登记补交</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Print status sheet</source>
        <translation>打印进度单</translation>
    </message>
    <message>
        <source>this window</source>
        <translation>本窗口</translation>
    </message>
    <message>
        <source>window {n}</source>
        <translation>{n}号窗口</translation>
    </message>
    <message>
        <source>back office</source>
        <translation>后台</translation>
    </message>
    <message>
        <source>Nothing found. Check the number and try again.</source>
        <translation>未查到申请，请核对后重试。</translation>
    </message>
    <message>
        <source>The status sheet is printed at {where}, which keeps the application.</source>
        <translation>进度单请在受理该申请的{where}打印。</translation>
    </message>
    <message>
        <source>Documents handed in now (sent to {where} to be recorded)</source>
        <translation>现场补交资料（转交{where}登记）</translation>
    </message>
    <message>
        <source>Sent to {where}, which keeps the application: recorded there within seconds while that PC is on, and shown here then.</source>
        <translation>已转交{where}（该申请由其保管）：该窗口电脑开着时几秒内即登记，随后在此显示。</translation>
    </message>
    <message>
        <source>Documents recorded. Status: {status}.</source>
        <translation>补交已登记。状态：{status}。</translation>
    </message>
</context>
<context>
    <name>SyncStatusField</name>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h}小时{m}分</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m}分钟</translation>
    </message>
    <message>
        <source>HQ: online</source>
        <translation>总部：在线</translation>
    </message>
    <message>
        <source>HQ: not enrolled</source>
        <translation>总部：未注册</translation>
    </message>
    <message>
        <source>HQ: offline</source>
        <translation>总部：离线</translation>
    </message>
    <message>
        <source>to sync: {n}</source>
        <translation>待同步：{n}</translation>
    </message>
    <message>
        <source>oldest payment: {age}</source>
        <translation>最早未传缴费：{age}</translation>
    </message>
    <message>
        <source>quarantined: {n}</source>
        <translation>隔离：{n}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Receipt numbering is locked: this database looks restored from an older copy. Ask IT to re-enrol this PC before taking payments.</source>
        <translation>收据编号已锁定：本机数据库像是从旧备份恢复的。收费前请信息科重新注册本机。</translation>
    </message>
    <message>
        <source>This PC is not enrolled with head office: everything is kept here. IT enrols it with: counter-app enrol --hq URL --code CODE</source>
        <translation>本机尚未在总部注册：所有数据保存在本机。信息科注册命令：counter-app enrol --hq URL --code CODE</translation>
    </message>
    <message>
        <source>Head office refused this PC: re-enrolment required. Work goes on and everything is kept; ask IT to re-enrol this PC.</source>
        <translation>总部拒绝了本机：需要重新注册。业务照常办理，数据全部保留；请信息科重新注册本机。</translation>
    </message>
    <message>
        <source>Head office needs a newer version of this program. Work goes on offline; ask IT to upgrade.</source>
        <translation>总部要求更新本程序。业务照常离线办理；请信息科升级。</translation>
    </message>
    <message>
        <source>Head office could not accept some events (quarantined). They are kept here and at head office; tell head-office support.</source>
        <translation>部分记录总部无法入账（已隔离）。记录在本机和总部都有保存；请告知总部运维。</translation>
    </message>
    <message>
        <source>A payment has waited too long to reach head office. Check the network; if it lasts, tell IT.</source>
        <translation>有缴费记录长时间未上传总部。请检查网络；持续如此请告知信息科。</translation>
    </message>
    <message>
        <source>Head office cannot be reached. Work goes on; everything is sent automatically when the link is back.</source>
        <translation>无法连接总部。业务照常办理；网络恢复后自动上传。</translation>
    </message>
    <message>
        <source>Sending to head office; nothing to do.</source>
        <translation>正在上传总部，无需操作。</translation>
    </message>
    <message>
        <source>Everything is at head office.</source>
        <translation>全部已上传总部。</translation>
    </message>
    <message>
        <source>Last successful sync: {when}</source>
        <translation>上次同步成功：{when}</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>最近错误：{error}</translation>
    </message>
    <message>
        <source>head office cannot be reached (no answer on the network).</source>
        <translation>无法连接总部（网络无应答）。</translation>
    </message>
    <message>
        <source>head office did not answer in time; the request is sent again.</source>
        <translation>总部未及时应答，将重新发送。</translation>
    </message>
    <message>
        <source>head office is busy or down; it is tried again.</source>
        <translation>总部繁忙或暂停服务，将重试。</translation>
    </message>
    <message>
        <source>head office did not accept this PC&apos;s credential; it is tried again.</source>
        <translation>总部未接受本机凭证，将重试。</translation>
    </message>
    <message>
        <source>head office refused this PC: re-enrolment required.</source>
        <translation>总部拒绝了本机：需要重新注册。</translation>
    </message>
    <message>
        <source>head office needs a newer version of this program.</source>
        <translation>总部要求升级本程序。</translation>
    </message>
    <message>
        <source>head office refused what was sent ({detail}).</source>
        <translation>总部拒收了上传的数据（{detail}）。</translation>
    </message>
</context>
<context>
    <name>TariffEditor</name>
    <message>
        <source>Tariff</source>
        <translation>水价</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户类别</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本数</translation>
    </message>
    <message>
        <source>Latest from</source>
        <translation>最新版本生效</translation>
    </message>
    <message>
        <source>In force from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Prices (yuan/m³)</source>
        <translation>单价（元/m³）</translation>
    </message>
    <message>
        <source>Change no.</source>
        <translation>变更号</translation>
    </message>
    <message>
        <source>Price of</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Yuan per m³</source>
        <translation>元/m³</translation>
    </message>
    <message>
        <source>Publish new version</source>
        <translation>发布新版本</translation>
    </message>
    <message>
        <source>Choose a tariff: its new version starts from the last version&apos;s prices.</source>
        <translation>请选择水价：新版本以上一版本的价格为起点。</translation>
    </message>
    <message>
        <source>New version</source>
        <translation>新版本</translation>
    </message>
    <message>
        <source>Tariffs</source>
        <translation>水价</translation>
    </message>
    <message>
        <source>Versions of the chosen tariff</source>
        <translation>所选水价的各版本</translation>
    </message>
    <message>
        <source>residential</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>non-residential</source>
        <translation>非居民</translation>
    </message>
    <message>
        <source>Tier {n} (up to {m3} m³)</source>
        <translation>第 {n} 阶梯（{m3} m³ 以内）</translation>
    </message>
    <message>
        <source>Tier {n} (above)</source>
        <translation>第 {n} 阶梯（以上）</translation>
    </message>
    <message>
        <source>Published: tariff {code} from {date} (change {change}). The branches take it on that day.</source>
        <translation>已发布：水价 {code} 自 {date} 起生效（变更号 {change}），各营业厅届时启用。</translation>
    </message>
</context>
<context>
    <name>UnprintedDialog</name>
    <message>
        <source>Receipts not printed</source>
        <translation>未打印的收据</translation>
    </message>
    <message>
        <source>These payments are taken and safe, but their receipt never came out of the printer. Print them now; each is marked 补打 (copy).</source>
        <translation>这些款项已入账，但收据没有打印出来。请现在打印；每张都标有“补打”。</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Taken at</source>
        <translation>收款时间</translation>
    </message>
    <message>
        <source>Failed attempts</source>
        <translation>打印失败次数</translation>
    </message>
    <message>
        <source>&amp;Print selected (补打)</source>
        <translation>补打所选(&amp;P)</translation>
    </message>
    <message>
        <source>Print &amp;all</source>
        <translation>全部打印(&amp;A)</translation>
    </message>
    <message>
        <source>Close   Esc</source>
        <translation>关闭   Esc</translation>
    </message>
    <message>
        <source>Every receipt is printed.</source>
        <translation>收据都已打印。</translation>
    </message>
    <message>
        <source>Printing {n} receipts…</source>
        <translation>正在打印 {n} 张收据…</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Refund from the prepaid balance (退费)</source>
        <translation>预存余额退费</translation>
    </message>
    <message>
        <source>Account {no} {holder}: prepaid balance {balance}. A refund hands back cash from it and prints a refund slip.</source>
        <translation>户号 {no} {holder}：预存余额 {balance}。退费从余额中退还现金，并打印退费凭证。</translation>
    </message>
    <message>
        <source>Void a payment (冲正)</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Receipt {no} of {day}: {amount} by {methods}. The bills and the balance are restored; the money goes back the way it came.</source>
        <translation>收据 {no}（{day}）：{amount}，{methods}。冲正后账单和预存余额恢复原状，款项按原方式退回。</translation>
    </message>
    <message>
        <source>e.g. 金额录错 (amount keyed wrongly)</source>
        <translation>例如：金额录错</translation>
    </message>
    <message>
        <source>yuan, e.g. 50.00</source>
        <translation>元，例如 50.00</translation>
    </message>
    <message>
        <source>&amp;Amount to refund:</source>
        <translation>退费金额(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Manager&apos;s staff number:</source>
        <translation>主任工号(&amp;M)：</translation>
    </message>
    <message>
        <source>Manager&apos;s pass&amp;word:</source>
        <translation>主任密码(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Void   Ctrl+Enter</source>
        <translation>冲正(&amp;V)   Ctrl+Enter</translation>
    </message>
    <message>
        <source>&amp;Refund   Ctrl+Enter</source>
        <translation>退费(&amp;R)   Ctrl+Enter</translation>
    </message>
    <message>
        <source>Close   Esc</source>
        <translation>关闭   Esc</translation>
    </message>
    <message>
        <source>Refunded. Refund slip {no}; hand back {back}.</source>
        <translation>已退费。退费凭证 {no}；请退还 {back}。</translation>
    </message>
    <message>
        <source>Voided. Void slip {no}; hand back {back}.</source>
        <translation>已冲正。冲正单 {no}；退还 {back}。</translation>
    </message>
    <message>
        <source>nothing (it was paid from the balance)</source>
        <translation>无（原由预存抵扣）</translation>
    </message>
    <message>
        <source>Printing the void slip…</source>
        <translation>正在打印冲正单…</translation>
    </message>
    <message>
        <source>The void slip was not printed ({detail}); print it from the unprinted list ({key}).</source>
        <translation>冲正单未打印（{detail}）；请在未打印收据（{key}）中打印。</translation>
    </message>
    <message>
        <source>Void slip printed.</source>
        <translation>冲正单已打印。</translation>
    </message>
    <message>
        <source>No printer: the void slip is saved as {path}.</source>
        <translation>未设置打印机：冲正单已保存为 {path}。</translation>
    </message>
</context>
<context>
    <name>WindowScreen</name>
    <message>
        <source>Window {window}</source>
        <translation>{window}号窗口</translation>
    </message>
    <message>
        <source>Services: {names}</source>
        <translation>办理业务：{names}</translation>
    </message>
    <message>
        <source>Service paused</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>Please wait a moment</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Please go to another window</source>
        <translation>请到其他窗口办理</translation>
    </message>
    <message>
        <source>Now serving</source>
        <translation>当前号码</translation>
    </message>
    <message>
        <source>Please come to this window</source>
        <translation>请到本窗口办理</translation>
    </message>
    <message>
        <source>Being served</source>
        <translation>正在办理</translation>
    </message>
    <message>
        <source>Waiting for the next number</source>
        <translation>等待叫号</translation>
    </message>
    <message>
        <source>Staff no. {staff_no}</source>
        <translation>工号 {staff_no}</translation>
    </message>
</context>
<context>
    <name>WindowsEditor</name>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Services (calling order)</source>
        <translation>办理业务（叫号顺序）</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Open (calls tickets)</source>
        <translation>开放（叫号）</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Save window</source>
        <translation>保存窗口</translation>
    </message>
    <message>
        <source>Tick the services this window serves; it calls them in the order listed.</source>
        <translation>勾选该窗口办理的业务；按列出的顺序叫号。</translation>
    </message>
    <message>
        <source>Window no.</source>
        <translation>窗口号</translation>
    </message>
    <message>
        <source>In force from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Serves</source>
        <translation>办理业务</translation>
    </message>
    <message>
        <source>open</source>
        <translation>开放</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> (retired)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>Window {number} saved from {day} (change {change}).</source>
        <translation>窗口 {number} 已保存，自 {day} 起执行（变更 {change}）。</translation>
    </message>
    <message>
        <source>Window {number} saved: {n} services (change {change}).</source>
        <translation>窗口 {number} 已保存：{n} 项业务（变更 {change}）。</translation>
    </message>
</context>
<context>
    <name>WorkListModel</name>
    <message>
        <source>Application no.</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Site address</source>
        <translation>用水地址</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>Due state</source>
        <translation>时限状态</translation>
    </message>
    <message>
        <source>Working days</source>
        <translation>已用工作日</translation>
    </message>
</context>
</TS>
