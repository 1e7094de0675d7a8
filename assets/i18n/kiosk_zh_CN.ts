<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddressForm</name>
    <message>
        <location filename="../../kiosk/screens/change.py" line="258"/>
        <source>Not listed: type it</source>
        <translation>列表中没有，手动输入</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="312"/>
        <source>District</source>
        <translation>所在区</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="313"/>
        <source>Street or town (街道 / 镇)</source>
        <translation>街道或镇</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="314"/>
        <source>Community or village (社区 / 村)</source>
        <translation>社区或村</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="315"/>
        <source>Road, house number and room</source>
        <translation>道路、门牌号和房号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="316"/>
        <source>Change</source>
        <translation>修改</translation>
    </message>
</context>
<context>
    <name>AddressScreen</name>
    <message>
        <location filename="../../kiosk/screens/change.py" line="348"/>
        <source>Your new address</source>
        <translation>您的新居住地址</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="352"/>
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>ApplicationScreen</name>
    <message>
        <location filename="../../kiosk/screens/status.py" line="198"/>
        <source>Printing your receipt…</source>
        <translation>正在打印回执…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="204"/>
        <source>Take your receipt from the slot below the screen.</source>
        <translation>请从屏幕下方的出纸口取走回执。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="206"/>
        <source>The receipt printer is not working. Please write down the number above.</source>
        <translation>回执打印机暂时无法使用，请记下上面的编号。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="219"/>
        <source>Application number</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="220"/>
        <source>Sent</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="221"/>
        <source>Expected decision by</source>
        <translation>预计审核完成</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="222"/>
        <source>Police station</source>
        <translation>所属派出所</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="226"/>
        <source>What the officer asks for</source>
        <translation>民警要求补充的材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="231"/>
        <source>Why it was not approved</source>
        <translation>未通过的原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="232"/>
        <source>You can apply again, or ask at the police station.</source>
        <translation>您可以重新申请，或到派出所咨询。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="239"/>
        <source>Collect it at the police station</source>
        <translation>到派出所窗口领证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="241"/>
        <source>It will be sent by post</source>
        <translation>将通过邮寄送达</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="243"/>
        <source>Print a receipt for this application</source>
        <translation>打印这份申请的回执</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="252"/>
        <source>Choose how to collect it</source>
        <translation>选择领证方式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="254"/>
        <source>Add documents</source>
        <translation>补充材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="255"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>ApplicationsScreen</name>
    <message>
        <location filename="../../kiosk/screens/status.py" line="93"/>
        <source>My applications</source>
        <translation>我的事务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="98"/>
        <source>Finding your applications…</source>
        <translation>正在查询您的申请…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="104"/>
        <source>We could not reach the police service</source>
        <translation>暂时无法连接公安审核系统</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="110"/>
        <source>You have no applications</source>
        <translation>没有查到您的申请</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="111"/>
        <source>Applications made at a kiosk or on 椰城警民通 appear here once the police have them.</source>
        <translation>在自助机或“椰城警民通”提交的申请，公安机关收到后会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="122"/>
        <source>Number {number}, sent {date}</source>
        <translation>编号 {number}，{date}提交</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="134"/>
        <source>Please wait…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="136"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="137"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../../kiosk/screens/start.py" line="86"/>
        <source>This machine cannot save applications at the moment. Staff have been told.</source>
        <translation>本机暂时无法保存申请，已通知工作人员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="88"/>
        <source>This machine is not taking new applications right now</source>
        <translation>本机暂停受理新业务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="90"/>
        <source>Please use another kiosk, the 椰城警民通 WeChat service, or your local police station. Call {phone} for help.</source>
        <translation>请使用其他自助机、“椰城警民通”微信公众号，或到居住地派出所办理。如需帮助请拨打 {phone}。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="92"/>
        <source>Kiosk {id}</source>
        <translation>自助机编号 {id}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="93"/>
        <source>Residence permit self-service</source>
        <translation>居住证自助服务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="94"/>
        <source>Renew, change or replace your Haikou residence permit here, and see your applications.</source>
        <translation>在这里办理海口居住证的续签、变更和补换领，并查看您的申请。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="97"/>
        <source>Renew (annual endorsement)</source>
        <translation>居住证续签（签注）</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="98"/>
        <source>Bring your ID card and one proof: work, home or study. Free. About 2 minutes.</source>
        <translation>带上身份证和一份证明（工作、住房或就学）。免费，约2分钟。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="101"/>
        <source>Change address, employer or school</source>
        <translation>变更住址、工作单位或学校</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="102"/>
        <source>Bring your ID card and one proof. About 4 minutes.</source>
        <translation>带上身份证和一份证明材料。约4分钟。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="105"/>
        <source>Replace a lost or damaged permit</source>
        <translation>丢失补领、损坏换领</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="106"/>
        <source>Bring your ID card. A production fee applies. About 2 minutes.</source>
        <translation>带上身份证。需缴纳工本费。约2分钟。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="108"/>
        <source>My applications</source>
        <translation>我的事务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="108"/>
        <source>Follow an application, choose how to collect it.</source>
        <translation>查看办理进度，选择领证方式。</translation>
    </message>
</context>
<context>
    <name>CaptureScreen</name>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="161"/>
        <source>Page {n}</source>
        <translation>第{n}页</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="163"/>
        <source>Retake</source>
        <translation>重拍</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="166"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="323"/>
        <source>Done. Put the next page on the tray, or press Continue.</source>
        <translation>已拍好。请放下一页，或点“下一步”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="325"/>
        <source>Hold still…</source>
        <translation>请保持不动…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="336"/>
        <source>The camera is not sending pictures. Please wait a moment, or press Help.</source>
        <translation>摄像头暂时没有画面。请稍等，或点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="353"/>
        <source>The camera is not ready yet. Please wait a moment and try again.</source>
        <translation>摄像头还没准备好，请稍等后再试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="385"/>
        <source>That photo did not work. Please try again.</source>
        <translation>这张照片没有拍好，请再拍一次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="406"/>
        <source>Photograph your {document}</source>
        <translation>拍摄您的{document}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="408"/>
        <source>Put page {n} face up on the tray under the camera and hold it still: the photo is taken by itself. Add a photo for every page.</source>
        <translation>把第{n}页正面朝上放在摄像头下方的托盘上，保持不动，会自动拍照。每一页都要拍。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="411"/>
        <source>Take photo of page {n}</source>
        <translation>拍摄第{n}页</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="422"/>
        <source>Take a photo first</source>
        <translation>请先拍照</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="424"/>
        <source>Continue with 1 page</source>
        <translation>已拍 1 页，继续</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="425"/>
        <source>Continue with {n} pages</source>
        <translation>已拍 {n} 页，继续</translation>
    </message>
</context>
<context>
    <name>CategoryScreen</name>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="88"/>
        <location filename="../../kiosk/screens/materials.py" line="91"/>
        <source>Which document will you show?</source>
        <translation>您要提供哪一种材料？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="85"/>
        <source>Which document are you adding?</source>
        <translation>您要补充哪一种材料？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="70"/>
        <source>I work here</source>
        <extracomment>After the shutter, a photo (or its failure) comes within this long, else the camera is gone.</extracomment>
        <translation>我在海口工作</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="71"/>
        <source>I have a home here</source>
        <translation>我在海口有住所</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="72"/>
        <source>I study here</source>
        <translation>我在海口上学</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="73"/>
        <source>Proof of the change</source>
        <translation>变更证明</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="75"/>
        <source>Other documents</source>
        <translation>其他材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="86"/>
        <source>Choose the one the officer asked for.</source>
        <translation>请选择民警要求补充的材料。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="89"/>
        <source>One is enough. Choose it under the reason you live in Haikou.</source>
        <translation>一份即可。请在您居住海口的理由下面选择。</translation>
    </message>
</context>
<context>
    <name>ChangeDateScreen</name>
    <message>
        <location filename="../../kiosk/screens/change.py" line="480"/>
        <source>When did it change?</source>
        <translation>信息是哪天变化的？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="481"/>
        <source>For example the day you moved, or your first day at the new job.</source>
        <translation>例如搬家的那天，或到新单位上班的第一天。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="482"/>
        <source>Year</source>
        <translation>年</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="483"/>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="484"/>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="497"/>
        <source>This is more than {n} days ago</source>
        <translation>距今已超过{n}天</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="498"/>
        <source>Changes should be reported within {n} days. You can still report it today; the police may ask why it is late.</source>
        <translation>信息变化后应在{n}日内申报。今天仍可办理，民警可能会询问逾期原因。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="503"/>
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>ChangeWhatScreen</name>
    <message>
        <location filename="../../kiosk/screens/change.py" line="82"/>
        <source>What has changed?</source>
        <translation>哪些信息有变化？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="83"/>
        <source>Choose everything that changed. You will show one proof document.</source>
        <translation>请选择所有发生变化的项目。稍后需要拍摄一份证明材料。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="86"/>
        <source>Where I live</source>
        <translation>居住地址</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="86"/>
        <source>A new residence address in Hainan</source>
        <translation>在海南的新居住地址</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="87"/>
        <source>Where I work</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="87"/>
        <source>A new employer</source>
        <translation>新的工作单位</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="88"/>
        <source>Where I study</source>
        <translation>就读学校</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="88"/>
        <source>A new school</source>
        <translation>新的就读学校</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="98"/>
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../../kiosk/screens/start.py" line="148"/>
        <source>Before we read your ID card</source>
        <translation>读取身份证前请您知悉</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="149"/>
        <source>We read your name, ID number and photo from your ID card, and photograph the documents you show.</source>
        <translation>我们会读取您身份证上的姓名、身份证号码和照片，并拍摄您提供的材料。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="150"/>
        <source>We send them to the police only to review this application.</source>
        <translation>这些信息只发送给公安机关，用于审核本次申请。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="151"/>
        <source>Nothing stays on this machine. It is all deleted when you finish or walk away.</source>
        <translation>本机不保存任何信息。办理结束或您离开后，全部自动删除。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="152"/>
        <source>Your ID number is shown and printed only partly, like 460100********123X.</source>
        <translation>身份证号码在屏幕和回执上只显示部分，例如 460100********123X。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="155"/>
        <source>I agree, continue</source>
        <translation>同意，继续</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <location filename="../../kiosk/screens/done.py" line="202"/>
        <source>Application submitted</source>
        <translation>申请已提交</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="202"/>
        <source>The police have received your application.</source>
        <translation>公安机关已收到您的申请。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="190"/>
        <location filename="../../kiosk/screens/done.py" line="203"/>
        <location filename="../../kiosk/screens/done.py" line="252"/>
        <source>Your application number</source>
        <translation>您的申请编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="192"/>
        <location filename="../../kiosk/screens/done.py" line="214"/>
        <source>What happens next</source>
        <translation>接下来</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="220"/>
        <source>A police officer reviews your application, usually within 5 working days.</source>
        <translation>民警审核您的申请，一般在5个工作日内完成。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="221"/>
        <source>You get an SMS with the result, expected by {date}.</source>
        <translation>审核结果会以短信通知您，预计在{date}前。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="216"/>
        <source>Then choose window or mail pickup at any kiosk under My applications. Your permit is ready within 15 days.</source>
        <translation>之后可在任一自助机的“我的事务”中选择窗口领证或邮寄领证。居住证在15日内办好。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="156"/>
        <source>Keep viewing</source>
        <translation>继续查看</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="158"/>
        <source>This page returns to the start in {n} s.</source>
        <translation>{n} 秒后返回首页。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="160"/>
        <source>This page stays until you press Finish.</source>
        <translation>本页面会一直保留，看完请按“完成”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="165"/>
        <source>This page will close soon</source>
        <translation>本页面即将关闭</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="166"/>
        <source>Press Keep viewing if you still need the number.</source>
        <translation>如还需记下编号，请按“继续查看”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="189"/>
        <source>Documents sent</source>
        <translation>材料已发送</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="189"/>
        <source>Your application is back with the police officer.</source>
        <translation>您的申请已重新交民警审核。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="194"/>
        <source>The officer checks the new documents.</source>
        <translation>民警审核您补充的材料。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="195"/>
        <location filename="../../kiosk/screens/done.py" line="222"/>
        <source>You get an SMS with the result.</source>
        <translation>审核结果会以短信通知您。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="196"/>
        <source>You can follow it at any kiosk under My applications.</source>
        <translation>您可以在任一自助机的“我的事务”中查看进度。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="209"/>
        <source>Application saved</source>
        <translation>申请已保存</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="210"/>
        <source>The network is slow, so this machine will send it automatically. You do not need to do anything or wait here.</source>
        <translation>网络较慢，本机会自动提交您的申请。您无需再操作，也不用在这里等待。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="212"/>
        <source>Your reference number</source>
        <translation>您的回执编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="218"/>
        <source>Bring the damaged permit when you collect.</source>
        <translation>领取新证时请带上损坏的居住证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="233"/>
        <source>Take your receipt from the slot below the screen.</source>
        <translation>请从屏幕下方的出纸口取走回执。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="238"/>
        <source>The receipt printer is not working</source>
        <translation>回执打印机暂时无法使用</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="239"/>
        <source>Your application is submitted. Please take a photo of the number above, or write it down. You can print the receipt at another kiosk by reading your ID card under My applications.</source>
        <translation>您的申请已经提交成功。请用手机拍下上面的编号，或把它记下来。您也可以在其他自助机的“我的事务”中读取身份证后打印回执。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="251"/>
        <source>Your choice is recorded</source>
        <translation>已记录您的领证方式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="254"/>
        <source>What to do now</source>
        <translation>接下来请您</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="259"/>
        <source>Go to {station}, {address}.</source>
        <translation>到{station}（{address}）领证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="260"/>
        <source>Opening hours: {hours}</source>
        <translation>领证时间：{hours}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="261"/>
        <source>Bring {items}.</source>
        <translation>请携带{items}。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="266"/>
        <source>First post your current permit to {station}, {address}.</source>
        <translation>请先把您现在的居住证寄到{station}（{address}）。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="268"/>
        <source>You do not need to send anything.</source>
        <translation>您不需要寄送任何证件。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="272"/>
        <source>The police post the new permit to you; you pay the postage on delivery.</source>
        <translation>派出所办结后把新证邮寄给您，邮费到付。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="273"/>
        <source>The courier calls {phone}.</source>
        <translation>快递员会联系 {phone}。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/done.py" line="277"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>EligibilityScreen</name>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="360"/>
        <source>You can renew your permit today</source>
        <translation>您今天可以办理续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="362"/>
        <source>Your permit is valid until {date}. Renewing now keeps it valid for another year.</source>
        <translation>您的居住证有效期至{date}。现在续签，可再延续一年。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="366"/>
        <source>Your permit ran out {days} ago</source>
        <translation>您的居住证已过期{days}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="367"/>
        <source>You can still renew it today. Please read this first:</source>
        <translation>今天仍可办理续签。请先阅读以下说明：</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="369"/>
        <source>What a late renewal means</source>
        <translation>逾期续签的影响</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="370"/>
        <source>Since {date} your permit has not worked: its services were paused. Renewing today turns it back on.</source>
        <translation>自{date}起，您的居住证使用功能已中止。今天补办签注后，使用功能恢复。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="373"/>
        <source>Your years of residence in Haikou will be counted again from today, {today}.</source>
        <translation>您在海口的居住年限将从今天（{today}）起重新连续计算。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="378"/>
        <source>It is too early to renew</source>
        <translation>现在还不能续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="380"/>
        <source>You can renew from {date}, one month before your permit runs out on {until}. Please come back then.</source>
        <translation>您的居住证{until}到期，可在到期前一个月内、即{date}起办理续签。请到时再来。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="385"/>
        <source>Your permit is already renewed for this year</source>
        <translation>您今年已经办理过签注</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="387"/>
        <source>It was renewed on {date}. A permit is renewed once a year, so there is nothing to do now.</source>
        <translation>您已于{date}办理签注。居住证每年签注一次，现在无需再办。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="391"/>
        <source>This permit can no longer be renewed here</source>
        <translation>该居住证无法在自助机续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="393"/>
        <source>It ran out {days} ago. Please go to {station}, {address}, with your ID card.</source>
        <translation>您的居住证已过期{days}。请携带身份证到{station}（{address}）办理。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="402"/>
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="404"/>
        <source>I understand, continue</source>
        <translation>我已了解，继续</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="405"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>EmployerScreen</name>
    <message>
        <location filename="../../kiosk/screens/change.py" line="424"/>
        <source>Your new employer</source>
        <translation>您的新工作单位</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="425"/>
        <source>The full name, as on your contract or the employer&apos;s letter.</source>
        <translation>请填写全称，与劳动合同或单位证明一致。</translation>
    </message>
</context>
<context>
    <name>FeeScreen</name>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="71"/>
        <source>A new permit costs a production fee</source>
        <translation>补换领居住证需缴纳工本费</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="74"/>
        <source>Production fee (工本费): ￥{fee}</source>
        <translation>工本费：￥{fee}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="75"/>
        <source>It is {payment}. Nothing is paid at this machine.</source>
        <translation>{payment}。本机不收取任何费用。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="78"/>
        <location filename="../../kiosk/screens/reissue.py" line="81"/>
        <source>What to bring when you collect it</source>
        <translation>领证时请携带</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="78"/>
        <source>Your ID card.</source>
        <translation>您的身份证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="82"/>
        <source>Your ID card and the damaged permit: it is handed in when you get the new one.</source>
        <translation>您的身份证和损坏的居住证，领取新证时交回。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="85"/>
        <source>Renew your permit first</source>
        <translation>请先办理续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="87"/>
        <source>Your permit ran out more than a month ago</source>
        <translation>您的居住证已过期超过一个月</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="88"/>
        <source>A lost permit that has run out must be renewed (endorsed) first. The renewal gives you a new, valid permit, so you do not need a replacement as well.</source>
        <translation>已过期的居住证丢失后，须先办理签注。续签后您会得到新的有效居住证，无需再办理补领。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="92"/>
        <source>This permit can no longer be replaced here</source>
        <translation>该居住证无法在自助机补换领</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="94"/>
        <source>Your permit ran out too long ago</source>
        <translation>您的居住证过期时间太久</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="95"/>
        <source>Please go to {station}, {address}, with your ID card.</source>
        <translation>请携带身份证到{station}（{address}）办理。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="103"/>
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="105"/>
        <source>Renew my permit now</source>
        <translation>现在办理续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="106"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../kiosk/screens/help.py" line="35"/>
        <source>Asking a member of staff to come…</source>
        <translation>正在请工作人员过来…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/help.py" line="36"/>
        <source>Please wait a moment.</source>
        <translation>请稍候。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/help.py" line="37"/>
        <location filename="../../kiosk/screens/help.py" line="61"/>
        <location filename="../../kiosk/screens/help.py" line="76"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/help.py" line="52"/>
        <source>A member of staff is coming in about {n} minutes</source>
        <translation>工作人员约 {n} 分钟后到达</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/help.py" line="54"/>
        <source>A member of staff is coming</source>
        <translation>工作人员正在赶来</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/help.py" line="58"/>
        <source>No staff are on duty right now</source>
        <translation>现在没有工作人员值班</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/help.py" line="72"/>
        <source>This machine cannot reach the staff right now</source>
        <translation>本机现在无法联系工作人员</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/help.py" line="73"/>
        <source>Nobody has been told. Please call {phone} for help, or ask at the counter.</source>
        <translation>没有通知到任何人。请拨打 {phone} 求助，或到服务窗口咨询。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/help.py" line="83"/>
        <source>Counter opening hours: {hours}</source>
        <translation>窗口办公时间：{hours}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/takeaway.py" line="70"/>
        <source>Your ID card is still on the reader below the screen. Please take it now.</source>
        <translation>您的身份证还在屏幕下方的读卡区，请现在取走。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/takeaway.py" line="72"/>
        <source>A member of staff has been asked to come.</source>
        <translation>已请工作人员过来。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/takeaway.py" line="75"/>
        <source>Check the reader and the document tray before you go.</source>
        <translation>离开前请看一看读卡区和材料托盘。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/takeaway.py" line="76"/>
        <source>OK</source>
        <translation>知道了</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/takeaway.py" line="79"/>
        <source>Take your ID card and all your original documents with you.</source>
        <translation>请取回身份证和全部材料原件</translation>
    </message>
</context>
<context>
    <name>IdentityScreen</name>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="229"/>
        <source>Is this you?</source>
        <translation>请确认是否是您本人</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="230"/>
        <source>This is not me: read another card</source>
        <translation>不是我，重新读卡</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="234"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="235"/>
        <source>Your name may be shortened: the card holds 15 characters.</source>
        <translation>身份证最多存储15个字，您的姓名可能显示不全。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="245"/>
        <source>Finding your residence permit…</source>
        <translation>正在查询您的居住证信息…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="250"/>
        <source>We could not find a residence permit for this ID card</source>
        <translation>没有查到这张身份证对应的居住证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="251"/>
        <source>If you have never had a Haikou residence permit, apply for one at your local police station. If you think this is wrong, press Help.</source>
        <translation>如果您还没有办理过海口居住证，请到居住地派出所申领。如有疑问，请点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="258"/>
        <source>We could not reach the police service</source>
        <translation>暂时无法连接公安审核系统</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="259"/>
        <source>This is not your fault. Press Try again in a moment.</source>
        <translation>这不是您的问题。请稍后点“重试”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="265"/>
        <source>Is this you? You can renew your permit today.</source>
        <translation>这是您本人吗？您今天可以办理续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="267"/>
        <source>Residence permit number</source>
        <translation>居住证号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="270"/>
        <source>{date}, renewing now adds one year</source>
        <translation>{date}，现在续签再延长一年</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="271"/>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="272"/>
        <source>Registered address</source>
        <translation>居住地址</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="273"/>
        <source>Police station</source>
        <translation>所属派出所</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="280"/>
        <source>This permit ran out too long ago to use here</source>
        <translation>该居住证过期太久，无法在自助机办理</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="281"/>
        <source>Please go to {station}, {address}, with your ID card.</source>
        <translation>请携带身份证到{station}（{address}）办理。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="298"/>
        <source>Please wait…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="300"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="302"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="303"/>
        <source>Yes, this is me</source>
        <translation>是我本人，继续</translation>
    </message>
</context>
<context>
    <name>MailAddressScreen</name>
    <message>
        <location filename="../../kiosk/screens/status.py" line="371"/>
        <source>Where should we send it?</source>
        <translation>寄到哪里？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="373"/>
        <source>Recipient: {name}</source>
        <translation>收件人：{name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="379"/>
        <source>My registered address</source>
        <translation>寄到我的居住地址</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="380"/>
        <source>Another address</source>
        <translation>寄到其他地址</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="380"/>
        <source>Type the address on the keyboard.</source>
        <translation>用屏幕键盘输入地址。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="384"/>
        <source>Use this address</source>
        <translation>使用这个地址</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="341"/>
        <source>Stop and delete your details?</source>
        <translation>要停止办理并删除您的信息吗？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="343"/>
        <source>Your application has already been received and will be processed; keep your receipt number. Everything you entered is deleted from this machine.</source>
        <translation>您的申请已经受理，会继续办理，请保留回执号。您在本机输入的所有内容将被删除。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="347"/>
        <source>Nothing will be sent. Everything you entered is deleted from this machine.</source>
        <translation>不会提交任何内容，您录入的信息将从本机全部删除。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="349"/>
        <source>No, carry on</source>
        <translation>不，继续办理</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="350"/>
        <source>Yes, stop and delete</source>
        <translation>是，停止并删除</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="373"/>
        <source>This machine cannot continue right now</source>
        <translation>本机暂时无法继续办理</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="375"/>
        <source>Your details have been cleared from this machine. If you already have a receipt, your application is saved and will be sent. Please take your ID card and your documents, then start again, use another machine or ask at the counter. Help: {phone}.</source>
        <translation>您的信息已从本机清除。如果您已拿到回执，您的申请已保存，会自动提交。请取回身份证和材料原件，然后重新开始、使用其他机器或到窗口咨询。求助电话：{phone}。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="379"/>
        <source>OK</source>
        <translation>知道了</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="467"/>
        <source>Step {n} of {total}</source>
        <translation>第{n}步，共{total}步</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="512"/>
        <source>Standard text</source>
        <translation>标准字号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="512"/>
        <source>Larger text</source>
        <translation>大字模式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="513"/>
        <source>Repeat</source>
        <translation>重听</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="516"/>
        <source>Muted</source>
        <translation>静音</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="516"/>
        <source>Loud</source>
        <translation>大声</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="516"/>
        <source>Medium</source>
        <translation>中等音量</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="516"/>
        <source>Quiet</source>
        <translation>小声</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="519"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="520"/>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="521"/>
        <source>Cancel</source>
        <translation>返回首页</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="527"/>
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="528"/>
        <source>For your privacy, we will stop and delete your details soon.</source>
        <translation>为保护您的隐私，即将停止办理并删除您的信息。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="529"/>
        <source>I am still here</source>
        <translation>我还在，继续办理</translation>
    </message>
</context>
<context>
    <name>MaintPinScreen</name>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="64"/>
        <source>Technician PIN</source>
        <translation>请输入维护密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="66"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="69"/>
        <source>Too many wrong PINs. Try again in {n} minutes.</source>
        <translation>密码错误次数过多，请{n}分钟后再试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="71"/>
        <source>That PIN is not right.</source>
        <translation>密码不正确。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="76"/>
        <source>Enter</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="169"/>
        <source>Failed: {error}</source>
        <translation>失败：{error}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="192"/>
        <source>Nothing to print.</source>
        <translation>没有需要打印的内容。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="194"/>
        <source>Printed.</source>
        <translation>已打印。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="196"/>
        <source>Not printed: the printer reports {state}.</source>
        <translation>未打印：打印机状态为 {state}。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="202"/>
        <source>Everything queued has been sent.</source>
        <translation>排队中的申请已全部发送。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="202"/>
        <source>Some applications are still queued.</source>
        <translation>仍有申请在排队等待发送。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="219"/>
        <source>Maintenance</source>
        <translation>维护模式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="221"/>
        <source>Kiosk</source>
        <translation>自助机</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="222"/>
        <source>Card reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="223"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="224"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="225"/>
        <source>Review service</source>
        <translation>审核系统</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="226"/>
        <source>Queued applications</source>
        <translation>排队中的申请</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="227"/>
        <source>Check the devices again</source>
        <translation>重新检测设备</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="228"/>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="229"/>
        <source>Reprint the receipt that failed</source>
        <translation>补打未打印成功的回执</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="231"/>
        <source>Send queued applications now</source>
        <translation>立即发送排队中的申请</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="232"/>
        <source>Quit the kiosk program (demo)</source>
        <translation>退出自助机程序（演示）</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="234"/>
        <source>Put the kiosk back in service</source>
        <translation>恢复服务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="234"/>
        <source>Take the kiosk out of service</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/maintenance.py" line="241"/>
        <source>Leave maintenance</source>
        <translation>退出维护模式</translation>
    </message>
</context>
<context>
    <name>OptionButton</name>
    <message>
        <location filename="../../kiosk/screens/widgets.py" line="261"/>
        <source>. </source>
        <translation>。</translation>
    </message>
</context>
<context>
    <name>OrganisationScreen</name>
    <message>
        <location filename="../../kiosk/screens/change.py" line="410"/>
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>PhoneScreen</name>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="108"/>
        <source>The SMS goes to your phone ending {tail}</source>
        <translation>短信将发到尾号{tail}的手机</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="109"/>
        <source>This is the number the police have for you. The review result is sent to it.</source>
        <translation>这是公安机关登记的您的手机号码，审核结果将发到这个号码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="111"/>
        <source>Use another number</source>
        <translation>换一个号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="115"/>
        <source>Your mobile number</source>
        <translation>您的手机号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="117"/>
        <source>The courier calls this number when your permit is delivered.</source>
        <translation>快递送达时会联系这个号码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="119"/>
        <source>The police send the review result to this number by SMS.</source>
        <translation>审核结果将以短信发送到这个号码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="121"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="123"/>
        <source>This is not a mobile number. It starts with 13 to 19 and has 11 digits.</source>
        <translation>这不是手机号码。手机号码为11位，以13至19开头。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="130"/>
        <source>Use this number</source>
        <translation>用这个号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="131"/>
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>PickupMethodScreen</name>
    <message>
        <location filename="../../kiosk/screens/status.py" line="302"/>
        <source>How do you want to collect your permit?</source>
        <translation>您想怎样领取居住证？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="304"/>
        <source>At the police station (窗口领证)</source>
        <translation>窗口领证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="308"/>
        <source>Sent to you; you pay the postage on delivery.</source>
        <translation>邮寄给您，邮费到付。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="310"/>
        <source>First you post your current permit to the police station.</source>
        <translation>需要先把现在的居住证寄到派出所。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="311"/>
        <source>By post (邮寄领证)</source>
        <translation>邮寄领证</translation>
    </message>
</context>
<context>
    <name>PickupReviewScreen</name>
    <message>
        <location filename="../../kiosk/screens/status.py" line="428"/>
        <source>Check your answers</source>
        <translation>请核对您的信息</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="434"/>
        <source>Application number</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="436"/>
        <location filename="../../kiosk/screens/status.py" line="442"/>
        <source>How</source>
        <translation>领证方式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="436"/>
        <source>At the police station (窗口领证)</source>
        <translation>窗口领证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="437"/>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="438"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="440"/>
        <source>Bring {items}.</source>
        <translation>请携带{items}。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="442"/>
        <source>By post (邮寄领证)</source>
        <translation>邮寄领证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="443"/>
        <source>Send to</source>
        <translation>寄往</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="444"/>
        <source>Mobile number</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="446"/>
        <location filename="../../kiosk/screens/status.py" line="452"/>
        <source>The postage is paid on delivery.</source>
        <translation>邮费到付。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="449"/>
        <source>First post your current permit to the police station</source>
        <translation>请先把现在的居住证寄到派出所</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="457"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
</context>
<context>
    <name>ReadCardScreen</name>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="84"/>
        <source>Put your ID card on the reader</source>
        <translation>请将身份证放在读卡区</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="85"/>
        <source>Lay the card flat on the reader below the screen, photo side up, and leave it there until your details appear.</source>
        <translation>把身份证平放在屏幕下方的读卡区，照片面朝上，等信息出现后再拿开。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="89"/>
        <source>Please lift your card off the reader and put it down again.</source>
        <translation>请把身份证拿起，再重新放到读卡区。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="93"/>
        <location filename="../../kiosk/screens/identity.py" line="119"/>
        <source>The card reader is not working</source>
        <translation>读卡器暂时无法使用</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="94"/>
        <location filename="../../kiosk/screens/identity.py" line="119"/>
        <source>This is not your fault. Please press Help and a member of staff will come.</source>
        <translation>这不是您的问题。请点“帮助”，工作人员会来协助您。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="98"/>
        <source>Reading your card… keep it still.</source>
        <translation>正在读卡…请不要移动身份证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="106"/>
        <source>For staff: reader code {code}</source>
        <translation>供工作人员参考：读卡代码 {code}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="111"/>
        <source>This machine cannot accept it. Please go to a police station counter.</source>
        <translation>本机无法办理，请到派出所窗口办理。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="113"/>
        <source>This ID card has expired</source>
        <translation>这张身份证已过有效期</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="115"/>
        <source>This ID card is not valid yet</source>
        <translation>这张身份证尚未生效</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="117"/>
        <source>This is not a resident ID card</source>
        <translation>这不是居民身份证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="117"/>
        <source>Please put your second-generation resident ID card on the reader.</source>
        <translation>请将您的第二代居民身份证放在读卡区。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="121"/>
        <source>The card could not be read</source>
        <translation>没有读到这张身份证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="122"/>
        <source>Lift the card off the reader and put it down again, flat and still, until your details appear. If this keeps happening, press Help.</source>
        <translation>请拿起身份证，再平放到读卡区，保持不动，直到信息出现。如果多次不成功，请按“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="125"/>
        <source>The information on this ID card cannot be used here</source>
        <translation>这张身份证上的信息无法在本机使用</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="125"/>
        <source>Or press Help.</source>
        <translation>也可以按“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="104"/>
        <source>Waiting for your card…</source>
        <translation>等待放置身份证…</translation>
    </message>
</context>
<context>
    <name>ReissueKindScreen</name>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="32"/>
        <source>What happened to your permit?</source>
        <translation>您的居住证怎么了？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="33"/>
        <source>I lost it</source>
        <translation>丢失了</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="33"/>
        <source>丢失补领: a new permit replaces the lost one.</source>
        <translation>丢失补领：补发新证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="35"/>
        <source>It is damaged</source>
        <translation>损坏了</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/reissue.py" line="35"/>
        <source>损坏换领: bring the damaged permit when you collect the new one.</source>
        <translation>损坏换领：领新证时交回损坏的证件。</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="214"/>
        <source>Check your answers</source>
        <translation>请核对您的信息</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="207"/>
        <source>Change</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="225"/>
        <source>{number} (the number the police have for you)</source>
        <translation>{number}（公安登记的号码）</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="228"/>
        <source>Application number</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="229"/>
        <source>Documents to add</source>
        <translation>补充的材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="231"/>
        <location filename="../../kiosk/screens/finish.py" line="247"/>
        <location filename="../../kiosk/screens/finish.py" line="255"/>
        <source>Service</source>
        <translation>办理业务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="232"/>
        <location filename="../../kiosk/screens/finish.py" line="248"/>
        <location filename="../../kiosk/screens/finish.py" line="256"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="235"/>
        <source>New address</source>
        <translation>新居住地址</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="237"/>
        <source>New employer</source>
        <translation>新工作单位</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="239"/>
        <source>New school</source>
        <translation>新就读学校</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="241"/>
        <source>Date of the change</source>
        <translation>变化日期</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="242"/>
        <source>Proof</source>
        <translation>证明材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="245"/>
        <source>Reported late</source>
        <translation>逾期申报</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="245"/>
        <source>More than 30 days have passed since the change. It is still accepted.</source>
        <translation>信息变化已超过30天，仍可受理。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="250"/>
        <source>Production fee</source>
        <translation>工本费</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="253"/>
        <source>Bring the damaged permit</source>
        <translation>请带上损坏的居住证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="253"/>
        <source>It is handed in when you collect the new one.</source>
        <translation>领取新证时交回。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="257"/>
        <source>Permit valid until</source>
        <translation>居住证有效期至</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="258"/>
        <source>I work here</source>
        <translation>我在海口工作</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="258"/>
        <source>I have a home here</source>
        <translation>我在海口有住所</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="258"/>
        <source>I study here</source>
        <translation>我在海口上学</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="259"/>
        <source>Reason</source>
        <translation>居住依据</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="260"/>
        <source>Document</source>
        <translation>证明材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="220"/>
        <source>{n} page(s)</source>
        <translation>共{n}页</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="243"/>
        <location filename="../../kiosk/screens/finish.py" line="251"/>
        <location filename="../../kiosk/screens/finish.py" line="261"/>
        <source>Mobile number</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="263"/>
        <source>Late renewal</source>
        <translation>逾期续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="263"/>
        <source>Your years of residence will be counted again from today.</source>
        <translation>您的居住年限将从今天起重新连续计算。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="267"/>
        <source>By submitting you confirm that the information and documents are true.</source>
        <translation>提交即表示您确认所填信息和所交材料真实有效。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="271"/>
        <source>Send documents</source>
        <translation>发送材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="272"/>
        <source>Submit application</source>
        <translation>提交申请</translation>
    </message>
</context>
<context>
    <name>SchoolScreen</name>
    <message>
        <location filename="../../kiosk/screens/change.py" line="433"/>
        <source>Your new school</source>
        <translation>您的新就读学校</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="434"/>
        <source>The full name, as on your student card.</source>
        <translation>请填写全称，与学生证一致。</translation>
    </message>
</context>
<context>
    <name>Shared</name>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="51"/>
        <source>Renew your residence permit</source>
        <translation>居住证续签（签注）</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="53"/>
        <source>Change your registered details</source>
        <translation>居住证登记信息变更</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="55"/>
        <source>Replace a lost permit</source>
        <translation>居住证丢失补领</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="57"/>
        <source>Replace a damaged permit</source>
        <translation>居住证损坏换领</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="58"/>
        <source>Residence permit self-service</source>
        <translation>居住证自助服务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="64"/>
        <source>Choose a service</source>
        <translation>选择业务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="66"/>
        <source>Confirm who you are</source>
        <translation>核对身份</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="69"/>
        <source>Your applications</source>
        <translation>我的申请</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="71"/>
        <source>Fee and phone</source>
        <translation>费用和手机号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="72"/>
        <source>Documents and phone</source>
        <translation>材料和手机号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="73"/>
        <source>Check and submit</source>
        <translation>确认提交</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="78"/>
        <source>Maintenance</source>
        <translation>维护模式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="80"/>
        <source>My applications</source>
        <translation>我的事务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="82"/>
        <source>Replace a lost or damaged permit</source>
        <translation>丢失补领、损坏换领</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../kiosk/screens/status.py" line="40"/>
        <source>Sent: waiting for a police officer</source>
        <extracomment>Plain words for each contract status (translated in the &quot;Status&quot; context).</extracomment>
        <translation>已提交，等待民警审核</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="41"/>
        <source>A police officer is checking it</source>
        <translation>民警正在审核</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="42"/>
        <source>More documents are needed</source>
        <translation>需要补充材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="43"/>
        <source>Not approved</source>
        <translation>审核未通过</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="44"/>
        <source>Approved: your permit is being made</source>
        <translation>审核通过，正在制证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="45"/>
        <source>Your permit is ready: choose how to collect it</source>
        <translation>居住证已制好，请选择领证方式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="46"/>
        <source>Collection chosen</source>
        <translation>已选择领证方式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="47"/>
        <source>Finished</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="49"/>
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="272"/>
        <source>your ID card</source>
        <translation>身份证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="273"/>
        <source>your residence permit</source>
        <translation>居住证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/status.py" line="275"/>
        <source>and</source>
        <translation>和</translation>
    </message>
</context>
<context>
    <name>SubmitScreen</name>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="389"/>
        <source>Sending your documents… {done} of {total}</source>
        <translation>正在发送您的材料…第{done}份，共{total}份</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="391"/>
        <source>Sending your choice…</source>
        <translation>正在提交您的选择…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="393"/>
        <source>Submitting your application…</source>
        <translation>正在提交您的申请…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="394"/>
        <source>Please wait. Do not take your documents away yet.</source>
        <translation>请稍候，先不要拿走您的材料。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="397"/>
        <source>Printing your receipt…</source>
        <translation>正在打印回执…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="401"/>
        <source>This machine cannot save your application</source>
        <translation>本机无法保存您的申请</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="403"/>
        <source>Its storage is full or has a fault. Your application has not been submitted, and staff have been told.</source>
        <translation>本机存储空间已满或出现故障。您的申请没有提交，已通知工作人员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="407"/>
        <source>Press Finish, then use another kiosk or go to a police station counter. Your details are deleted from this machine.</source>
        <translation>请按“完成”，然后使用其他自助机或到派出所窗口办理。您的资料会从本机删除。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="413"/>
        <source>The police service did not accept this application</source>
        <translation>公安审核系统未受理本次申请</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="416"/>
        <source>Your application has not been sent yet</source>
        <translation>您的申请还没有发送成功</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="417"/>
        <source>We could not reach the police service. Nothing is lost: your answers and photos are still here.</source>
        <translation>暂时无法连接公安审核系统。您的信息和照片都还在，不会丢失。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="406"/>
        <location filename="../../kiosk/screens/finish.py" line="419"/>
        <source>What you can do</source>
        <translation>您可以这样做</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="420"/>
        <source>Press Try again. If it still does not work, press Help.</source>
        <translation>请点“重试”。如果仍然不行，请点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="421"/>
        <source>Press Finish. A member of staff can help you with Help.</source>
        <translation>请点“完成”。如需协助，请点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="425"/>
        <source>This is taking longer than usual because the network is slow. You can keep waiting, or press Cancel.</source>
        <translation>网络较慢，所需时间比平时长。您可以继续等待，或点“返回首页”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="429"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="431"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>TakeThings</name>
    <message>
        <location filename="../../kiosk/screens/widgets.py" line="109"/>
        <source>Take your ID card and all your original documents with you.</source>
        <translation>请取回身份证和全部材料原件</translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <location filename="../../kiosk/screens/change.py" line="34"/>
        <source>Please fill this in.</source>
        <translation>请填写此项。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="36"/>
        <source>This is too short: at least {n} characters.</source>
        <translation>内容太短：至少{n}个字。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="38"/>
        <source>This is too long: at most {n} characters.</source>
        <translation>内容太长：最多{n}个字。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/change.py" line="39"/>
        <source>Please use only letters, numbers and normal punctuation.</source>
        <translation>请只使用文字、数字和常用标点。</translation>
    </message>
</context>
</TS>
