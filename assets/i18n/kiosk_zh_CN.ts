<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../../kiosk/screens/start.py" line="61" />
        <source>Residence permit self-service</source>
        <translation>居住证自助服务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="62" />
        <source>Renew, change or replace your Haikou residence permit here, and see your applications.</source>
        <translation>在这里办理海口居住证的续签、变更和补换领，并查看您的申请。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="63" />
        <source>Renew (annual endorsement)</source>
        <translation>居住证续签（签注）</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="64" />
        <source>Change address, employer or school</source>
        <translation>变更住址、工作单位或学校</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="65" />
        <source>Replace a lost or damaged permit</source>
        <translation>丢失补领、损坏换领</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="66" />
        <source>My applications</source>
        <translation>我的事务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="67" />
        <source>Touch to start</source>
        <translation>点击开始</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="70" />
        <source>Standard text</source>
        <translation>标准字号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="70" />
        <source>Larger text</source>
        <translation>大字模式</translation>
    </message>
</context>
<context>
    <name>BasisScreen</name>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="50" />
        <source>Why do you live in Haikou?</source>
        <translation>您在海口居住的依据是什么？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="51" />
        <source>Choose one. You will show one document that proves it.</source>
        <translation>请选择一项。稍后需要拍摄一份证明材料。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="52" />
        <source>I work here</source>
        <translation>我在海口工作</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="52" />
        <source>Contract, employer's letter, social insurance or business licence</source>
        <translation>劳动合同、单位在职证明、社保缴纳证明或营业执照</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="53" />
        <source>I have a home here</source>
        <translation>我在海口有住所</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="53" />
        <source>Property certificate, registered lease or accommodation letter</source>
        <translation>房产证、备案的租赁合同或住所证明</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="54" />
        <source>I study here</source>
        <translation>我在海口上学</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="54" />
        <source>Student card or school certificate</source>
        <translation>学生证或在读证明</translation>
    </message>
</context>
<context>
    <name>CaptureScreen</name>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="101" />
        <source>Page {n}</source>
        <translation>第{n}页</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="103" />
        <source>Retake</source>
        <translation>重拍</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="106" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="179" />
        <source>The camera is not sending pictures. Please wait a moment, or press Help.</source>
        <translation>摄像头暂时没有画面。请稍等，或点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="185" />
        <source>The camera is not ready yet. Please wait a moment and try again.</source>
        <translation>摄像头还没准备好，请稍等后再试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="213" />
        <source>That photo did not work. Please try again.</source>
        <translation>这张照片没有拍好，请再拍一次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="234" />
        <source>Photograph your {document}</source>
        <translation>拍摄您的{document}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="236" />
        <source>Put page {n} face up on the tray under the camera, then press Take photo. Add a photo for every page.</source>
        <translation>把第{n}页正面朝上放在摄像头下方的托盘上，然后点“拍照”。每一页都要拍。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="239" />
        <source>Take photo of page {n}</source>
        <translation>拍摄第{n}页</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="249" />
        <source>Take a photo first</source>
        <translation>请先拍照</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="250" />
        <source>Done: {n} page(s), continue</source>
        <translation>已拍{n}页，下一步</translation>
    </message>
</context>
<context>
    <name>CategoryScreen</name>
    <message>
        <location filename="../../kiosk/screens/materials.py" line="75" />
        <source>Which document will you show?</source>
        <translation>您要提供哪一种材料？</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../../kiosk/screens/start.py" line="156" />
        <source>Before we read your ID card</source>
        <translation>读取身份证前请您知悉</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="157" />
        <source>We read your name, ID number and photo from your ID card, and photograph the documents you show.</source>
        <translation>我们会读取您身份证上的姓名、身份证号码和照片，并拍摄您提供的材料。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="158" />
        <source>We send them to the police only to review this application.</source>
        <translation>这些信息只发送给公安机关，用于审核本次申请。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="159" />
        <source>Nothing stays on this machine. It is all deleted when you finish or walk away.</source>
        <translation>本机不保存任何信息。办理结束或您离开后，全部自动删除。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="160" />
        <source>Your ID number is shown and printed only partly, like 460100********123X.</source>
        <translation>身份证号码在屏幕和回执上只显示部分，例如 460100********123X。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="163" />
        <source>I agree, continue</source>
        <translation>同意，继续</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="333" />
        <source>Application submitted</source>
        <translation>申请已提交</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="333" />
        <source>The police have received your application.</source>
        <translation>公安机关已收到您的申请。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="334" />
        <source>Your application number</source>
        <translation>您的申请编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="336" />
        <source>What happens next</source>
        <translation>接下来</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="337" />
        <source>A police officer reviews your application, usually within 5 working days.</source>
        <translation>民警审核您的申请，一般在5个工作日内完成。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="339" />
        <source>You get an SMS with the result, expected by {date}.</source>
        <translation>审核结果会以短信通知您，预计在{date}前。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="340" />
        <source>Then choose window or mail pickup at any kiosk under My applications. Your permit is ready within 15 days.</source>
        <translation>之后可在任一自助机的“我的事务”中选择窗口领证或邮寄领证。居住证在15日内办好。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="344" />
        <source>Take your receipt from the slot below the screen.</source>
        <translation>请从屏幕下方的出纸口取走回执。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="348" />
        <source>The receipt printer is not working</source>
        <translation>回执打印机暂时无法使用</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="349" />
        <source>Your application is submitted. Please take a photo of the number above, or write it down. You can print the receipt at another kiosk by reading your ID card under My applications.</source>
        <translation>您的申请已经提交成功。请用手机拍下上面的编号，或把它记下来。您也可以在其他自助机的“我的事务”中读取身份证后打印回执。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="353" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>EligibilityScreen</name>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="297" />
        <source>You can renew your permit today</source>
        <translation>您今天可以办理续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="299" />
        <source>Your permit is valid until {date}. Renewing now keeps it valid for another year.</source>
        <translation>您的居住证有效期至{date}。现在续签，可再延续一年。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="303" />
        <source>Your permit ran out {days} ago</source>
        <translation>您的居住证已过期{days}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="304" />
        <source>You can still renew it today. Please read this first:</source>
        <translation>今天仍可办理续签。请先阅读以下说明：</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="306" />
        <source>What a late renewal means</source>
        <translation>逾期续签的影响</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="307" />
        <source>Since {date} your permit has not worked: its services were paused. Renewing today turns it back on.</source>
        <translation>自{date}起，您的居住证使用功能已中止。今天补办签注后，使用功能恢复。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="310" />
        <source>Your years of residence in Haikou will be counted again from today, {today}.</source>
        <translation>您在海口的居住年限将从今天（{today}）起重新连续计算。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="315" />
        <source>It is too early to renew</source>
        <translation>现在还不能续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="317" />
        <source>You can renew from {date}, one month before your permit runs out on {until}. Please come back then.</source>
        <translation>您的居住证{until}到期，可在到期前一个月内、即{date}起办理续签。请到时再来。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="322" />
        <source>Your permit is already renewed for this year</source>
        <translation>您今年已经办理过签注</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="324" />
        <source>It was renewed on {date}. A permit is renewed once a year, so there is nothing to do now.</source>
        <translation>您已于{date}办理签注。居住证每年签注一次，现在无需再办。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="328" />
        <source>This permit can no longer be renewed here</source>
        <translation>该居住证无法在自助机续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="330" />
        <source>It ran out {days} ago. Please go to {station}, {address}, with your ID card.</source>
        <translation>您的居住证已过期{days}。请携带身份证到{station}（{address}）办理。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="339" />
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="341" />
        <source>I understand, continue</source>
        <translation>我已了解，继续</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="342" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>IdentityScreen</name>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="192" />
        <source>Is this you?</source>
        <translation>请确认是否是您本人</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="193" />
        <source>This is not me: read another card</source>
        <translation>不是我，重新读卡</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="197" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="198" />
        <source>Your name may be shortened: the card holds 15 characters.</source>
        <translation>身份证最多存储15个字，您的姓名可能显示不全。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="209" />
        <source>Finding your residence permit…</source>
        <translation>正在查询您的居住证信息…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="214" />
        <source>We could not find a residence permit for this ID card</source>
        <translation>没有查到这张身份证对应的居住证</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="215" />
        <source>If you have never had a Haikou residence permit, apply for one at your local police station. If you think this is wrong, press Help.</source>
        <translation>如果您还没有办理过海口居住证，请到居住地派出所申领。如有疑问，请点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="222" />
        <source>We could not reach the police service</source>
        <translation>暂时无法连接公安审核系统</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="223" />
        <source>This is not your fault. Press Try again in a moment.</source>
        <translation>这不是您的问题。请稍后点“重试”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="228" />
        <source>Residence permit number</source>
        <translation>居住证号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="229" />
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="230" />
        <source>Registered address</source>
        <translation>居住地址</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="231" />
        <source>Police station</source>
        <translation>所属派出所</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="235" />
        <source>Please wait…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="237" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="239" />
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="240" />
        <source>Yes, this is me</source>
        <translation>是我本人，继续</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="166" />
        <source>Stop and delete your details?</source>
        <translation>要停止办理并删除您的信息吗？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="167" />
        <source>Nothing will be sent. Everything you entered is deleted from this machine.</source>
        <translation>不会提交任何内容，您录入的信息将从本机全部删除。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="169" />
        <source>No, carry on</source>
        <translation>不，继续办理</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="170" />
        <source>Yes, stop and delete</source>
        <translation>是，停止并删除</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="179" />
        <source>A member of staff is on the way</source>
        <translation>工作人员马上就到</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="180" />
        <source>Please wait here. You can also call {phone}.</source>
        <translation>请在这里稍候。您也可以拨打 {phone}。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="181" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="186" />
        <source>OK</source>
        <translation>知道了</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="227" />
        <source>Step {n} of {total}</source>
        <translation>第{n}步，共{total}步</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="244" />
        <source>Standard text</source>
        <translation>标准字号</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="244" />
        <source>Larger text</source>
        <translation>大字模式</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="245" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="246" />
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="247" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="253" />
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="254" />
        <source>For your privacy, we will stop and delete your details soon.</source>
        <translation>为保护您的隐私，即将停止办理并删除您的信息。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="255" />
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>PhoneScreen</name>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="65" />
        <source>Your mobile number</source>
        <translation>您的手机号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="66" />
        <source>The police send the review result to this number by SMS.</source>
        <translation>审核结果将以短信发送到这个号码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="68" />
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="70" />
        <source>This is not a mobile number. It starts with 13 to 19 and has 11 digits.</source>
        <translation>这不是手机号码。手机号码为11位，以13至19开头。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="76" />
        <source>Continue</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>ReadCardScreen</name>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="75" />
        <source>Put your ID card on the reader</source>
        <translation>请将身份证放在读卡区</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="76" />
        <source>Lay the card flat on the reader below the screen, photo side up, and leave it there until your details appear.</source>
        <translation>把身份证平放在屏幕下方的读卡区，照片面朝上，等信息出现后再拿开。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="80" />
        <source>Please lift your card off the reader and put it down again.</source>
        <translation>请把身份证拿起，再重新放到读卡区。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="84" />
        <source>The card reader is not working</source>
        <translation>读卡器暂时无法使用</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="85" />
        <source>This is not your fault. Please press Help and a member of staff will come.</source>
        <translation>这不是您的问题。请点“帮助”，工作人员会来协助您。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="89" />
        <source>Reading your card… keep it still.</source>
        <translation>正在读卡…请不要移动身份证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="94" />
        <source>Take the card off the reader, check it is your second-generation ID card, and put it down again. If this keeps happening, press Help.</source>
        <translation>请拿起身份证，确认是第二代居民身份证后重新放好。如果多次失败，请点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="95" />
        <source>Reference: {code}</source>
        <translation>参考代码：{code}</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/identity.py" line="99" />
        <source>Waiting for your card…</source>
        <translation>等待放置身份证…</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="116" />
        <source>Check your answers</source>
        <translation>请核对您的信息</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="120" />
        <source>Change</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="121" />
        <source>Service</source>
        <translation>办理业务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="122" />
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="123" />
        <source>Permit valid until</source>
        <translation>居住证有效期至</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="124" />
        <source>I work here</source>
        <translation>我在海口工作</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="124" />
        <source>I have a home here</source>
        <translation>我在海口有住所</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="124" />
        <source>I study here</source>
        <translation>我在海口上学</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="125" />
        <source>Reason</source>
        <translation>居住依据</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="128" />
        <source>Document</source>
        <translation>证明材料</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="128" />
        <source>{n} page(s)</source>
        <translation>共{n}页</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="129" />
        <source>Mobile number</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="134" />
        <source>Late renewal</source>
        <translation>逾期续签</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="135" />
        <source>Your years of residence will be counted again from today.</source>
        <translation>您的居住年限将从今天起重新连续计算。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="137" />
        <source>By submitting you confirm that the information and documents are true.</source>
        <translation>提交即表示您确认所填信息和所交材料真实有效。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="140" />
        <source>Submit application</source>
        <translation>提交申请</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <location filename="../../kiosk/screens/start.py" line="116" />
        <source>What would you like to do?</source>
        <translation>请选择要办理的业务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="118" />
        <source>Bring your ID card and one proof: work, home or study. About 3 minutes.</source>
        <translation>需要身份证和一份工作、住所或就读证明。约3分钟。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="119" />
        <location filename="../../kiosk/screens/start.py" line="120" />
        <location filename="../../kiosk/screens/start.py" line="121" />
        <source>At the police station counter for now.</source>
        <translation>暂请到派出所窗口办理。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="125" />
        <source>Endorsement is free of charge.</source>
        <translation>签注不收取费用。</translation>
    </message>
</context>
<context>
    <name>Shared</name>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="26" />
        <source>Renew your residence permit</source>
        <translation>居住证续签（签注）</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="28" />
        <source>Change your registered details</source>
        <translation>居住证登记信息变更</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="30" />
        <source>Replace a lost permit</source>
        <translation>居住证丢失补领</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="32" />
        <source>Replace a damaged permit</source>
        <translation>居住证损坏换领</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/frame.py" line="33" />
        <source>Residence permit self-service</source>
        <translation>居住证自助服务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="82" />
        <source>Not available at this kiosk yet</source>
        <translation>本机暂不能办理此业务</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/start.py" line="83" />
        <source>Please go to the police station counter, or use the 椰城警民通 WeChat service. Renewal is available here.</source>
        <translation>请到派出所窗口办理，或使用“椰城警民通”微信公众号。本机可办理居住证续签。</translation>
    </message>
</context>
<context>
    <name>SubmitScreen</name>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="249" />
        <source>Sending your documents… {done} of {total}</source>
        <translation>正在发送您的材料…第{done}份，共{total}份</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="251" />
        <source>Submitting your application…</source>
        <translation>正在提交您的申请…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="252" />
        <source>Please wait. Do not take your documents away yet.</source>
        <translation>请稍候，先不要拿走您的材料。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="255" />
        <source>Printing your receipt…</source>
        <translation>正在打印回执…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="260" />
        <source>The police service did not accept this application</source>
        <translation>公安审核系统未受理本次申请</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="263" />
        <source>Your application has not been sent yet</source>
        <translation>您的申请还没有发送成功</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="264" />
        <source>We could not reach the police service. Nothing is lost: your answers and photos are still here.</source>
        <translation>暂时无法连接公安审核系统。您的信息和照片都还在，不会丢失。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="266" />
        <source>What you can do</source>
        <translation>您可以这样做</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="267" />
        <source>Press Try again. If it still does not work, press Help.</source>
        <translation>请点“重试”。如果仍然不行，请点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="268" />
        <source>Press Finish. A member of staff can help you with Help.</source>
        <translation>请点“完成”。如需协助，请点“帮助”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="272" />
        <source>This is taking longer than usual because the network is slow. You can keep waiting, or press Cancel.</source>
        <translation>网络较慢，所需时间比平时长。您可以继续等待，或点“取消”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="276" />
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/finish.py" line="278" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
</TS>