<?xml version="1.0" encoding="UTF-8"?>
<!--
	Minimal ISO Schematron (queryBinding xslt2) to XSLT 2.0 compiler, run by Saxon-HE in tests.
	Why our own: the ISO skeleton XSLTs are not shipped with ../shared/xdm-reference/ nor with a
	Debian package, and the ANS "Structuration minimale" schema only uses a small subset of
	ISO Schematron (ISO/IEC 19757-3): include, ns, pattern, rule (concrete and abstract),
	extends, let, assert, report, value-of, name. Anything else is refused so that a rule is never
	silently skipped.

	Semantics kept from the standard: in each pattern a node is checked by the first rule whose
	context matches (template priority follows document order); abstract rules are inlined where
	they are extended; doc() in rules resolves against the schema's own folder (xml:base), so the
	ANS value-set files are read in place.
	Output: <report> with <failed-assert> and <successful-report> elements (SVRL-like, no namespace).
-->
<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
	xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:axsl="urn:confrere:xsl-alias"
	exclude-result-prefixes="sch">
	<xsl:namespace-alias stylesheet-prefix="axsl" result-prefix="xsl"/>
	<xsl:output method="xml" indent="yes"/>

	<xsl:variable name="resolved">
		<xsl:apply-templates select="/*" mode="include"/>
	</xsl:variable>

	<!-- Pass 1: inline sch:include, keeping each included file's base URI for nested includes. -->
	<xsl:template match="sch:include" mode="include">
		<xsl:apply-templates select="document(@href, .)/*" mode="include"/>
	</xsl:template>
	<xsl:template match="*" mode="include">
		<xsl:copy>
			<xsl:copy-of select="@*"/>
			<xsl:apply-templates mode="include"/>
		</xsl:copy>
	</xsl:template>
	<xsl:template match="text()|comment()|processing-instruction()" mode="include"/>
	<xsl:template match="sch:assert//text()|sch:report//text()" mode="include">
		<xsl:copy/>
	</xsl:template>

	<!-- Pass 2: emit the validating stylesheet. -->
	<xsl:template match="/">
		<xsl:variable name="unsupported"
			select="$resolved//sch:*[not(local-name() = ('schema', 'title', 'ns', 'pattern', 'rule',
				'extends', 'let', 'assert', 'report', 'value-of', 'name', 'emph', 'p'))]"/>
		<xsl:if test="exists($unsupported)">
			<xsl:message terminate="yes">unsupported Schematron elements: <xsl:value-of
					select="distinct-values($unsupported/local-name())"/></xsl:message>
		</xsl:if>
		<axsl:stylesheet version="2.0">
			<xsl:for-each select="$resolved/sch:schema/sch:ns[@prefix != 'xml']">
				<xsl:namespace name="{@prefix}" select="string(@uri)"/>
			</xsl:for-each>
			<xsl:attribute name="xml:base" select="base-uri(/*)"/>
			<axsl:output method="xml" indent="yes"/>
			<xsl:for-each select="$resolved/sch:schema/sch:let">
				<axsl:variable name="{@name}" select="{@value}"/>
			</xsl:for-each>
			<axsl:template match="/">
				<report>
					<xsl:for-each select="$resolved//sch:pattern[sch:rule[not(@abstract = 'true')]]">
						<axsl:apply-templates select="/" mode="M{position()}"/>
					</xsl:for-each>
				</report>
			</axsl:template>
			<xsl:for-each select="$resolved//sch:pattern[sch:rule[not(@abstract = 'true')]]">
				<xsl:variable name="mode" select="concat('M', position())"/>
				<xsl:for-each select="sch:rule[not(@abstract = 'true')]">
					<axsl:template match="{@context}" priority="{10000 - position()}" mode="{$mode}">
						<xsl:apply-templates select="*" mode="body"/>
						<axsl:apply-templates select="@*|*" mode="{$mode}"/>
					</axsl:template>
				</xsl:for-each>
				<axsl:template match="text()" priority="-1" mode="{$mode}"/>
				<axsl:template match="@*|node()" priority="-2" mode="{$mode}">
					<axsl:apply-templates select="@*|*" mode="{$mode}"/>
				</axsl:template>
			</xsl:for-each>
		</axsl:stylesheet>
	</xsl:template>

	<xsl:template match="sch:extends" mode="body">
		<xsl:variable name="target" select="$resolved//sch:rule[@abstract = 'true'][@id = current()/@rule]"/>
		<xsl:if test="empty($target)">
			<xsl:message terminate="yes">abstract rule not found: <xsl:value-of select="@rule"/></xsl:message>
		</xsl:if>
		<xsl:apply-templates select="$target[1]/*" mode="body"/>
	</xsl:template>
	<xsl:template match="sch:let" mode="body">
		<axsl:variable name="{@name}" select="{@value}"/>
	</xsl:template>
	<xsl:template match="sch:assert" mode="body">
		<axsl:if test="not({@test})">
			<failed-assert role="{@role}" id="{@id}" test="{@test}" location="{{path()}}">
				<xsl:apply-templates mode="text"/>
			</failed-assert>
		</axsl:if>
	</xsl:template>
	<xsl:template match="sch:report" mode="body">
		<axsl:if test="{@test}">
			<successful-report role="{@role}" id="{@id}" test="{@test}" location="{{path()}}">
				<xsl:apply-templates mode="text"/>
			</successful-report>
		</axsl:if>
	</xsl:template>
	<xsl:template match="sch:title" mode="body"/>

	<xsl:template match="text()" mode="text">
		<axsl:text><xsl:value-of select="."/></axsl:text>
	</xsl:template>
	<xsl:template match="sch:value-of" mode="text">
		<axsl:value-of select="{@select}"/>
	</xsl:template>
	<xsl:template match="sch:name" mode="text">
		<axsl:value-of select="name({(@path, '.')[1]})"/>
	</xsl:template>
	<xsl:template match="sch:*" mode="text">
		<xsl:apply-templates mode="text"/>
	</xsl:template>
</xsl:stylesheet>
